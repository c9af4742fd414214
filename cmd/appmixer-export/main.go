// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

// Command appmixer-export reads an Appmixer tenant with the provider's settings and writes it as a
// Terraform module of the provider in which nothing bound to that tenant is written literally, ready
// to promote to another tenant or, with -import, to adopt the one it was read from.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/appmixer/terraform-provider-appmixer/internal/export"
)

// version is set by goreleaser through -ldflags at release time.
var version = "dev"

const usageHead = `Usage: appmixer-export -out DIR [flags]

Reads an Appmixer tenant and writes a Terraform module of the appmixer provider into DIR: flows,
integrations, custom connectors (their source in connectors/), data stores, service configurations,
public files, ACLs, system settings and the modifiers document. Account bindings become look-ups of
accounts by service and name, ids in definitions become references, secrets become sensitive
variables; DIR/README.md lists what the target tenant needs and what could not be made portable.

It connects as the provider does when its block leaves the settings out: APPMIXER_BASE_URL or
APPMIXER_TENANT, APPMIXER_USERNAME and APPMIXER_PASSWORD or APPMIXER_TOKEN, APPMIXER_MAX_RETRIES,
APPMIXER_REQUEST_TIMEOUT. Use a user with the admin scope: most of a tenant's settings need it.

Flags:
`

// stringsFlag collects a repeatable flag.
type stringsFlag []string

func (s *stringsFlag) String() string     { return strings.Join(*s, ",") }
func (s *stringsFlag) Set(v string) error { *s = append(*s, v); return nil }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("appmixer-export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usageHead); fs.PrintDefaults() }
	var (
		settings  export.Settings
		unmanaged stringsFlag
	)
	out := fs.String("out", "", "directory to write the module into (required; must be empty unless -force)")
	force := fs.Bool("force", false, "write into -out even when it is not empty, replacing a previous export's files (public/, state and other files stay)")
	imports := fs.Bool("import", false, "add import blocks (imports.tf) so that the module adopts the tenant it was read from")
	identity := fs.Bool("identity", false, "with -import, import by identity = {...} (Terraform and OpenTofu 1.12+) instead of id")
	flows := fs.String("flows", "", "only flows and integrations whose name matches this glob, e.g. 'Orders*'")
	only := fs.String("only", "", "only these kinds, comma-separated: "+strings.Join(export.AllKinds, ","))
	quiet := fs.Bool("quiet", false, "no progress line")
	showVersion := fs.Bool("version", false, "print the version and exit")
	fs.Var(&unmanaged, "unmanaged", "a state file or `terraform show -json` output (repeatable): export only what none of them manages, and list it")
	fs.StringVar(&settings.BaseURL, "base-url", "", "the API's URL (default APPMIXER_BASE_URL)")
	fs.StringVar(&settings.Tenant, "tenant", "", "an Appmixer Cloud tenant id (default APPMIXER_TENANT)")
	fs.StringVar(&settings.Username, "username", "", "the user to log in as (default APPMIXER_USERNAME; the password is read from APPMIXER_PASSWORD only)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *showVersion {
		fmt.Fprintln(stdout, "appmixer-export", version)
		return 0
	}
	fail := func(err error) int { fmt.Fprintln(stderr, "appmixer-export:", err); return 1 }
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "appmixer-export: -out DIR is required and no arguments are taken; see -help")
		return 2
	}
	if *identity && !*imports {
		fmt.Fprintln(stderr, "appmixer-export: -identity only shapes the import blocks of -import; give both")
		return 2
	}
	kinds, err := export.ParseKinds(*only)
	if err != nil {
		return fail(err)
	}
	filter := export.Filter{Kinds: kinds, FlowPattern: *flows}
	if err := filter.Check(); err != nil {
		return fail(err)
	}
	if settings.Username != "" {
		settings.Password = env("APPMIXER_PASSWORD")
	}
	settings.FromEnv(env)
	var managed export.Managed
	if len(unmanaged) > 0 {
		if managed, err = export.ReadStates(unmanaged); err != nil {
			return fail(err)
		}
	}
	if err := export.CheckOut(*out, *force); err != nil {
		return fail(err)
	}
	client, err := settings.Client("appmixer-export/" + version)
	if err != nil {
		return fail(err)
	}
	line := newProgressLine(stderr, *quiet)
	tenant, err := export.Read(ctx, client, filter, line.update)
	line.done()
	if err != nil {
		return fail(err)
	}
	mod, err := export.Build(tenant, export.Options{Import: *imports, Identity: *identity, Managed: managed})
	if err != nil {
		return fail(err)
	}
	if err := mod.WriteDir(*out, *force); err != nil {
		return fail(err)
	}
	if len(unmanaged) > 0 {
		fmt.Fprintf(stdout, "%d objects are not managed by the given states:\n", len(mod.Resources))
		for _, r := range mod.Resources {
			fmt.Fprintf(stdout, "  %s.%s\t%s\t%s\n", r.Type, r.Name, r.ID, r.Display)
		}
	}
	fmt.Fprintf(stdout, "Wrote %d objects to %s (%d not portable, %d secret variables); see %s/README.md.\n",
		len(mod.Resources), *out, len(mod.Problems), len(mod.Variables), *out)
	return 0
}
