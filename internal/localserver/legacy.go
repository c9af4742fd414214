// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"sync"
)

// LegacyAnswer names an answer appmixer-local gave before it was corrected to match real Appmixer, which
// old provider builds still expect. The upgrade tests (internal/upgrade) start the server with the
// ones an old build needs, so that it can write state against objects the current build then plans
// against; nothing else should use them, since real Appmixer does not answer so.
//
// Each is a rewrite of the corrected answer back into the old one, applied around the server rather
// than inside its handlers, so a correction made to a handler later needs only a new LegacyAnswer here
// (CONTRIBUTING.md, "Upgrade tests"). A rewrite that finds the corrected answer not given (the server
// still answers the old way) leaves the answer alone.
type LegacyAnswer string

const (
	// LegacyUserCreate: POST /user answers the created user ({id, username, ...}, as GET /user shows
	// it) where the corrected server answers only {token}; builds before the correction read the id
	// from that answer.
	LegacyUserCreate LegacyAnswer = "user-create"
	// LegacyServiceConfigMissing: GET /service-config/{id} of a missing config answers 404 where the
	// corrected server answers 200 {}; old builds read 404 as "no config".
	LegacyServiceConfigMissing LegacyAnswer = "service-config-missing"
	// LegacyLogin401: a refused login (POST /user/auth) answers 401 where the corrected server answers 403.
	LegacyLogin401 LegacyAnswer = "login-401"
	// LegacyUploadTicket: a publish ticket that POST /components issued answers {finished: false}
	// until its verdict is in, where the corrected server answers 404; old builds fail on that 404.
	LegacyUploadTicket LegacyAnswer = "upload-ticket"
	// LegacyFlowUpdate: PUT /flows/{id} answers the saved flow (as GET /flows/{id} shows it) where the
	// corrected server answers {flowId, result}.
	LegacyFlowUpdate LegacyAnswer = "flow-update"
)

// AllLegacyAnswers are every answer the server can restore.
var AllLegacyAnswers = []LegacyAnswer{LegacyUserCreate, LegacyServiceConfigMissing, LegacyLogin401, LegacyUploadTicket, LegacyFlowUpdate}

var (
	serviceConfigPath = regexp.MustCompile(`^/service-config/[^/]+$`)
	uploaderPath      = regexp.MustCompile(`^/components/uploader/([^/]+)$`)
	flowPath          = regexp.MustCompile(`^/flows/[^/]+$`)
)

// StartLegacy is Start with the given old answers restored.
func StartLegacy(listen string, opts Options, answers ...LegacyAnswer) (*Running, error) {
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	on := map[LegacyAnswer]bool{}
	for _, a := range answers {
		on[a] = true
	}
	return serve(listen, s, &legacyHandler{inner: s, on: on, tickets: map[string]bool{}})
}

// legacyHandler rewrites the server's answers; it sees each answer whole before it is sent.
type legacyHandler struct {
	inner   http.Handler // the server, or in tests a stand-in that answers the corrected way
	on      map[LegacyAnswer]bool
	mu      sync.Mutex
	tickets map[string]bool // publish tickets issued, for LegacyUploadTicket
}

func (l *legacyHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := l.record(r)
	path := r.URL.Path
	switch {
	case l.on[LegacyUserCreate] && r.Method == http.MethodPost && path == "/user" && ok(rec.status):
		var created struct {
			ID    string `json:"id"`
			Token string `json:"token"`
		}
		if json.Unmarshal(rec.body.Bytes(), &created) == nil && created.ID == "" && created.Token != "" {
			// The user as the new user's own GET /user shows it.
			me, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, "/user", http.NoBody)
			me.Header.Set("Authorization", "Bearer "+created.Token)
			if got := l.record(me); got.status == http.StatusOK {
				rec.body = got.body
			}
		}
	case l.on[LegacyServiceConfigMissing] && r.Method == http.MethodGet && serviceConfigPath.MatchString(path) &&
		rec.status == http.StatusOK && bytes.Equal(bytes.Join(bytes.Fields(rec.body.Bytes()), nil), []byte("{}")):
		rec.replace(errorReply(errorf(http.StatusNotFound, "Service configuration not found.")))
	case l.on[LegacyLogin401] && r.Method == http.MethodPost && path == "/user/auth" && rec.status == http.StatusForbidden:
		rec.status = http.StatusUnauthorized
	case l.on[LegacyUploadTicket] && r.Method == http.MethodPost && path == "/components" && ok(rec.status):
		var issued struct {
			Ticket string `json:"ticket"`
		}
		if json.Unmarshal(rec.body.Bytes(), &issued) == nil && issued.Ticket != "" {
			l.mu.Lock()
			l.tickets[issued.Ticket] = true
			l.mu.Unlock()
		}
	case l.on[LegacyUploadTicket] && r.Method == http.MethodGet && uploaderPath.MatchString(path) && rec.status == http.StatusNotFound:
		l.mu.Lock()
		issued := l.tickets[uploaderPath.FindStringSubmatch(path)[1]]
		l.mu.Unlock()
		if issued {
			rec.replace(jsonReply(http.StatusOK, map[string]any{"finished": false}))
		}
	case l.on[LegacyFlowUpdate] && r.Method == http.MethodPut && flowPath.MatchString(path) && ok(rec.status):
		var saved struct {
			Result string `json:"result"`
		}
		if json.Unmarshal(rec.body.Bytes(), &saved) == nil && saved.Result != "" {
			get, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, path, http.NoBody)
			get.Header.Set("Authorization", r.Header.Get("Authorization"))
			if got := l.record(get); got.status == http.StatusOK {
				rec.body = got.body
			}
		}
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.Header().Del("Content-Length")
	w.WriteHeader(rec.status)
	_, _ = w.Write(rec.body.Bytes())
}

func ok(status int) bool { return status >= 200 && status < 300 }

// recorded is one whole answer of the server.
type recorded struct {
	status int
	header http.Header
	body   *bytes.Buffer
}

func (rec *recorded) replace(rep *reply) {
	rec.status, rec.body = rep.status, bytes.NewBuffer(rep.body)
	for k, v := range rep.header {
		rec.header[k] = v
	}
}

// record runs a request through the server and keeps its answer.
func (l *legacyHandler) record(r *http.Request) *recorded {
	rw := &recorder{rec: &recorded{status: http.StatusOK, header: http.Header{}, body: &bytes.Buffer{}}}
	l.inner.ServeHTTP(rw, r)
	return rw.rec
}

type recorder struct {
	rec   *recorded
	wrote bool
}

func (w *recorder) Header() http.Header { return w.rec.header }

func (w *recorder) WriteHeader(status int) {
	if !w.wrote {
		w.rec.status, w.wrote = status, true
	}
}

func (w *recorder) Write(b []byte) (int, error) {
	w.wrote = true
	return w.rec.body.Write(b)
}
