// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"cmp"
	"slices"
	"sync"
)

// Guess is a behaviour of the local server that no source in appmixer-api.md settles: a reasonable
// choice, not a promise about real Appmixer. Users who test their own pipelines against
// appmixer-local read the list (appmixer-local -help) to know what a green run does not prove.
type Guess struct {
	Area      string // the API area, e.g. "service-config"
	Behaviour string // what the local server does
	Why       string // why it is a guess: what the notes say and leave open
}

var guessList struct {
	sync.Mutex
	all []Guess
}

// guess registers a guess; call it as `var _ = guess(...)` beside the code that makes the choice,
// so that the mark in the code and the published list cannot drift apart.
func guess(area, behaviour, why string) Guess {
	g := Guess{Area: area, Behaviour: behaviour, Why: why}
	guessList.Lock()
	defer guessList.Unlock()
	guessList.all = append(guessList.all, g)
	return g
}

// Guesses lists every guess of the local server, by area and then behaviour.
func Guesses() []Guess {
	guessList.Lock()
	defer guessList.Unlock()
	out := slices.Clone(guessList.all)
	slices.SortFunc(out, func(a, b Guess) int {
		return cmp.Or(cmp.Compare(a.Area, b.Area), cmp.Compare(a.Behaviour, b.Behaviour))
	})
	return out
}
