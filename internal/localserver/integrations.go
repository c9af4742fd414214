// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/appmixer/terraform-provider-appmixer/internal/componentmap"
)

// The /integrations routes of Appmixer 6 (appmixer-api.md §7; known only from the official CLI):
// pushing a template to every instance, and deleting a draft with its template and every instance.
// Both answer a ticket polled at GET /integrations/status/{ticket}; the job runs one step (one
// instance, template or draft) at a time, see steppedProgress.

// integrationJob is one rollout or deletion.
type integrationJob struct {
	ticket, userID string
	steps          []jobStep
	progress       steppedProgress
	failure        string // the failed step's error; the job stops there
}

// jobStep does one step under the server lock; a message other than "" fails the job with it.
type jobStep func(now time.Time) string

func (j *integrationJob) status() string {
	switch {
	case j.failure != "":
		return "failed"
	case j.progress.done == len(j.steps):
		return "completed"
	}
	return "in-progress"
}

// rolloutFault is the switch of FailNextRollout.
type rolloutFault struct {
	armed   bool
	message string
}

// FailNextRollout makes the next rollout that reaches an instance fail at its last instance with
// message; the instances before it are updated, the failed one and the template are left as they are.
func (s *Server) FailNextRollout(message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rolloutFault = rolloutFault{armed: true, message: message}
}

// holdJobs sets the hold; a released job's steps are timed from now, not from before the hold.
func (s *Server) holdJobs(hold bool, now time.Time) {
	s.jobsHeld = hold
	if !hold {
		for _, j := range s.integrationJobs {
			j.progress.last = now
		}
		for _, d := range s.userDeletions {
			d.progress.last = now
		}
	}
}

// integrationFaultsRoute is POST /_local/integrations/faults {"failNextRollout": "<message>", "hold": bool}:
// FailNextRollout and HoldJobs for a server run from the command line.
func (s *Server) integrationFaultsRoute(c *call) (any, error) {
	body, err := c.object()
	if err != nil {
		return nil, err
	}
	if err := onlyKeys(body, "failNextRollout", "hold"); err != nil {
		return nil, err
	}
	msg, fail, err := optString(body, "failNextRollout")
	if err != nil {
		return nil, err
	}
	if fail {
		s.rolloutFault = rolloutFault{armed: true, message: msg}
	}
	if v, ok := body["hold"]; ok {
		hold, isBool := v.(bool)
		if !isBool {
			return nil, badRequest(`"hold" must be a boolean`)
		}
		s.holdJobs(hold, c.now)
	}
	return map[string]any{"failNextRollout": s.rolloutFault.armed, "hold": s.jobsHeld}, nil
}

// updateInstances is POST /integrations/{templateId}/update-integration-instances {"inProgressData"}.
func (s *Server) updateInstances(c *call) (any, error) {
	tpl, err := s.ownFlow(c, c.param("id"))
	if err != nil {
		return nil, err
	}
	if tpl.flowType() != typeTemplate {
		return nil, badRequest("Flow %s is not an integration template.", tpl.id())
	}
	body, err := c.object()
	if err != nil {
		return nil, err
	}
	if err := onlyKeys(body, "inProgressData"); err != nil {
		return nil, err
	}
	if mode, _, err := optString(body, "inProgressData"); err != nil {
		return nil, err
	} else if mode != "" && mode != "keep" && mode != "delete" {
		return nil, badRequest(`"inProgressData" must be one of [keep, delete]`)
	}
	var steps []jobStep
	instances := s.instancesOf(tpl.id())
	for i, inst := range instances {
		id := inst.id()
		fail := ""
		if i == len(instances)-1 && s.rolloutFault.armed {
			fail = s.rolloutFault.message
			s.rolloutFault = rolloutFault{}
		}
		steps = append(steps, func(now time.Time) string {
			if fail != "" {
				return "Updating integration instance " + id + " failed: " + fail
			}
			return s.rollOut(tpl.id(), id, now)
		})
	}
	return s.startJob(c, steps), nil
}

// rollOut brings an instance up to its template: the template's settings of the components the
// instance has, in the instance's own component ids (its componentIdMap), and the template's wizard
// and revision. Components new in the template are not added (appmixer-api.md §7: such an instance
// must be re-created by its user), and neither are links to them. Account bindings of the components
// it keeps stay; the instance keeps its name and stage.
func (s *Server) rollOut(templateID, instanceID string, now time.Time) string {
	tpl, inst := s.flows[templateID], s.flows[instanceID]
	if tpl == nil || inst == nil {
		return "" // deleted meanwhile: nothing to update
	}
	ids := stringMapOf(inst.doc["componentIdMap"])
	maps.DeleteFunc(ids, func(from, _ string) bool { return tpl.components()[from] == nil })
	doc := deepCopyDoc(inst.doc)
	doc["flow"] = componentmap.Descriptor(withoutNew(tpl.components(), ids), ids)
	if w, ok := tpl.doc["wizard"]; ok && w != nil {
		doc["wizard"] = componentmap.Wizard(w, ids)
	}
	doc["componentIdMap"] = stringMapDoc(ids)
	if err := s.normalizeDescriptor(inst.owner(), componentsOf(doc)); err != nil {
		return "Updating integration instance " + instanceID + " failed: " + err.Error()
	}
	doc["mtime"], doc["revision"] = isoTime(now), tpl.doc["revision"]
	inst.doc = doc
	s.pruneBindings(inst.owner(), inst.id(), inst.components())
	return ""
}

// deleteIntegration is DELETE /integrations/{id} with a draft's or a template's id: every instance,
// the template(s) and the draft go, in that order.
func (s *Server) deleteIntegration(c *call) (any, error) {
	f, err := s.ownFlow(c, c.param("id"))
	if err != nil {
		return nil, err
	}
	var draftID string
	var templates []*flowRec
	switch f.flowType() {
	case typeDraft:
		draftID = f.id()
		for _, t := range s.sortedFlows() {
			if t.flowType() == typeTemplate && t.originID() == draftID && t.owner() == c.user.id {
				templates = append(templates, t)
			}
		}
	case typeTemplate:
		templates, draftID = []*flowRec{f}, f.originID()
	default:
		return nil, badRequest("Flow %s is not an integration draft or template.", f.id())
	}
	var doomed []string
	for _, t := range templates {
		for _, inst := range s.instancesOf(t.id()) {
			doomed = append(doomed, inst.id())
		}
	}
	for _, t := range templates {
		doomed = append(doomed, t.id())
	}
	if d := s.flows[draftID]; d != nil && d.owner() == c.user.id && d.flowType() == typeDraft {
		doomed = append(doomed, draftID)
	}
	steps := make([]jobStep, len(doomed))
	for i, id := range doomed {
		steps[i] = func(time.Time) string {
			if g := s.flows[id]; g != nil {
				delete(s.flows, id)
				s.pruneBindings(g.owner(), id, nil)
			}
			return ""
		}
	}
	return s.startJob(c, steps), nil
}

func (s *Server) startJob(c *call, steps []jobStep) map[string]any {
	j := &integrationJob{ticket: uuid.NewString(), userID: c.user.id, steps: steps,
		progress: steppedProgress{total: len(steps), last: c.now}}
	s.integrationJobs[j.ticket] = j
	return map[string]any{"ticket": j.ticket}
}

// integrationStatus is GET /integrations/status/{ticket}.
func (s *Server) integrationStatus(c *call) (any, error) {
	j := s.integrationJobs[c.param("ticket")]
	if j == nil || j.userID != c.user.id {
		return nil, notFound("Ticket")
	}
	s.advanceJob(j, c.now, true)
	out := map[string]any{"ticket": j.ticket, "status": j.status(), "stepsTotal": len(j.steps), "stepsCompleted": j.progress.done}
	if j.failure != "" {
		out["error"] = j.failure
	}
	return out, nil
}

// settleIntegrationJobs runs the steps whose time has come, polled or not.
func (s *Server) settleIntegrationJobs(now time.Time) {
	for _, t := range sortedKeys(s.integrationJobs) {
		s.advanceJob(s.integrationJobs[t], now, false)
	}
}

func (s *Server) advanceJob(j *integrationJob, now time.Time, polled bool) {
	if s.jobsHeld || j.failure != "" {
		return
	}
	for n := j.progress.due(now, polled); n > 0; n-- {
		if msg := j.steps[j.progress.done](now); msg != "" {
			j.failure = msg
			return
		}
		j.progress.step(now)
	}
}

// instancesOf lists a template's instances, whoever owns them, oldest first.
func (s *Server) instancesOf(templateID string) []*flowRec {
	return slices.DeleteFunc(s.sortedFlows(), func(f *flowRec) bool { return !f.isInstanceOf(templateID) })
}

func (s *Server) sortedFlows() []*flowRec {
	out := make([]*flowRec, 0, len(s.flows))
	for _, f := range s.flows {
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b *flowRec) int { return a.seq - b.seq })
	return out
}

var _ = guess("integrations", "a rollout drops from an instance the components the template no longer has (an instance whose map names none of the template's components ends empty, as after `appmixer transfer flow` PUTs a template with the draft's ids)",
	"the notes say only that a rollout does not add components new in the template; what it does with components gone from it is undocumented")

// withoutNew is a template's descriptor without the components the instance's map lacks, and without
// the others' links and transforms from them.
func withoutNew(comps map[string]any, ids map[string]string) map[string]any {
	out := make(map[string]any, len(ids))
	for id := range ids {
		comp, _ := deepCopyDoc(map[string]any{"c": comps[id]})["c"].(map[string]any)
		if comp == nil {
			continue
		}
		cfg, _ := comp["config"].(map[string]any)
		for _, ports := range []any{comp["source"], cfg["transform"]} {
			byPort, _ := ports.(map[string]any)
			for port, links := range byPort {
				if m, ok := links.(map[string]any); ok {
					maps.DeleteFunc(m, func(up string, _ any) bool { return ids[up] == "" })
					if len(m) == 0 {
						delete(byPort, port)
					}
				}
			}
		}
		out[id] = comp
	}
	return out
}

func stringMapOf(v any) map[string]string {
	m, _ := v.(map[string]any)
	out := make(map[string]string, len(m))
	for k, val := range m {
		if s, ok := val.(string); ok {
			out[k] = s
		}
	}
	return out
}
