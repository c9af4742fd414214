// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"path"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// componentConfigWith is componentConfig in the appmixer dialect with more attribute lines.
func componentConfigWith(srv *localserver.Running, name, sourceAttr, source, lines string) string {
	return providerBlock(srv, "") + fmt.Sprintf(`
resource "appmixer_component" "weather" {
  name = %q
  %s = %q
  %s
}
`, name, sourceAttr, source, lines)
}

// servesFile checks the first copy of file that GET /components/{selector}/{file} serves, the copy
// Appmixer's runtime uses.
func servesFile(c *appmixer.Client, selector, file, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		zipped, err := c.DownloadComponent(context.Background(), selector)
		if err != nil {
			return err
		}
		zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
		if err != nil {
			return err
		}
		for _, f := range zr.File {
			if path.Base(f.Name) != file {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				return err
			}
			got, err := io.ReadAll(rc)
			_ = rc.Close()
			if err != nil {
				return err
			}
			if string(got) != want {
				return fmt.Errorf("the tenant serves %s of %s as %q, want %q", file, selector, got, want)
			}
			return nil
		}
		return fmt.Errorf("the tenant serves no %s under %s", file, selector)
	}
}
