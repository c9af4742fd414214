// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package process

import (
	"maps"
	"testing"
)

// mapEnv is an environment in a map.
type mapEnv map[string]string

func (m mapEnv) LookupEnv(key string) (string, bool) { v, ok := m[key]; return v, ok }
func (m mapEnv) Setenv(key, value string) error      { m[key] = value; return nil }

func TestSilenceUnseenLogs(t *testing.T) {
	allOff := mapEnv{"TF_LOG_SDK": "OFF", "TF_LOG_SDK_PROTO": "OFF", "TF_LOG_SDK_FRAMEWORK": "OFF",
		"TF_LOG_PROVIDER_APPMIXER": "OFF", "TF_LOG_PROVIDER_APPMIXER_API": "OFF"}
	withOff := func(extra mapEnv) mapEnv {
		out := maps.Clone(allOff)
		maps.Copy(out, extra)
		return out
	}
	cases := []struct {
		name string
		env  mapEnv
		want mapEnv
	}{
		{name: "terraform shows no logs: every plugin level is turned off", env: mapEnv{}, want: allOff},
		{name: "TF_LOG set: logs are read, nothing changes", env: mapEnv{"TF_LOG": "trace"}, want: mapEnv{"TF_LOG": "trace"}},
		{name: "TF_LOG_PROVIDER set: nothing changes", env: mapEnv{"TF_LOG_PROVIDER": "debug"}, want: mapEnv{"TF_LOG_PROVIDER": "debug"}},
		{name: "an empty TF_LOG counts as unset", env: mapEnv{"TF_LOG": ""}, want: withOff(mapEnv{"TF_LOG": ""})},
		{name: "a level set explicitly is kept", env: mapEnv{"TF_LOG_PROVIDER_APPMIXER_API": "DEBUG"},
			want: withOff(mapEnv{"TF_LOG_PROVIDER_APPMIXER_API": "DEBUG"})},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			silenceUnseenLogs(c.env)
			if !maps.Equal(c.env, c.want) {
				t.Errorf("environment %v, want %v", c.env, c.want)
			}
		})
	}
}

func TestMemoryLimit(t *testing.T) {
	if limit, ok := memoryLimit(mapEnv{}); !ok || limit != 100<<20 {
		t.Errorf("without GOMEMLIMIT: %d, %v; want 100 MiB", limit, ok)
	}
	if _, ok := memoryLimit(mapEnv{"GOMEMLIMIT": "1GiB"}); ok {
		t.Error("GOMEMLIMIT set: the runtime's own limit must stay")
	}
}
