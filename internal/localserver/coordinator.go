// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

// coordinate is Appmixer's start/stop route, POST /flows/{id}/coordinator {"command":"start"|"stop"}.
// The effect is immediate; starting a running flow or stopping a stopped one is a no-op.
func (s *Server) coordinate(c *call) (any, error) {
	f, err := s.ownFlow(c, c.param("id"))
	if err != nil {
		return nil, err
	}
	body, err := c.object()
	if err != nil {
		return nil, err
	}
	switch cmd, _ := body["command"].(string); cmd {
	case "start":
		if err := s.checkTransforms(f); err != nil {
			return nil, err
		}
		f.setStage("running")
	case "stop":
		f.setStage("stopped")
	default:
		return nil, badRequest(`"command" must be one of [start, stop]`)
	}
	return map[string]any{"flowId": f.id()}, nil
}

// startFlow and stopFlow are the contract's PUT /flows/{id}/start and /stop.
func (s *Server) startFlow(c *call) (any, error) { return s.setOwnFlowStage(c, "running") }

func (s *Server) stopFlow(c *call) (any, error) { return s.setOwnFlowStage(c, "stopped") }

func (s *Server) setOwnFlowStage(c *call, stage string) (any, error) {
	f, err := s.ownFlow(c, c.param("id"))
	if err != nil {
		return nil, err
	}
	f.setStage(stage)
	return map[string]any{}, nil
}
