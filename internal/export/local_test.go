// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package export

import (
	"context"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/export/designer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// designed is a local tenant built by designer, with its client.
type designed struct {
	srv    *localserver.Running
	api    *appmixer.Client
	seeded *designer.Seeded
}

func startDesigned(t *testing.T) *designed {
	t.Helper()
	srv, err := localserver.Start("127.0.0.1:0", localserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	api, err := appmixer.New(appmixer.Config{BaseURL: srv.URL, Username: srv.AdminUsername(), Password: srv.AdminPassword()})
	if err != nil {
		t.Fatal(err)
	}
	accounts := map[string]string{}
	for service, name := range map[string]string{"appmixer:slack": "ops@example.com", "acme:weather": "weather-bot"} {
		if accounts[service], err = srv.AddAccount(srv.AdminUsername(), localserver.AccountSeed{Service: service, Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	seeded, err := designer.Build(context.Background(), api, accounts, testfixture.Root())
	if err != nil {
		t.Fatal(err)
	}
	return &designed{srv: srv, api: api, seeded: seeded}
}

func TestReadBuild_local(t *testing.T) {
	d := startDesigned(t)
	tn, err := Read(context.Background(), d.api, Filter{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	mod, err := Build(tn, Options{Import: true})
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range mod.Files {
		if len(name) > 10 && name[:10] == "connectors" {
			continue
		}
		t.Logf("=== %s\n%s", name, content)
	}
}
