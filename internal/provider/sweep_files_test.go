// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// Sweepers of the files and user groups that the acceptance tests leave on a real tenant when
// interrupted: everything named accPrefix... (see acc_tenant_test.go).
func init() {
	resource.AddTestSweepers("appmixer_file", &resource.Sweeper{Name: "appmixer_file", F: sweepFiles})
	resource.AddTestSweepers("appmixer_user_group", &resource.Sweeper{Name: "appmixer_user_group", F: sweepUserGroups})
}

func sweepFiles(string) error {
	c, err := sweepClient()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	files, err := c.ListFiles(ctx, accPrefix)
	if err != nil {
		return err
	}
	var errs []error
	for _, f := range files {
		if strings.HasPrefix(f.Filename, accPrefix) {
			if err := c.DeleteFile(ctx, f.ID); err != nil && !appmixer.IsNotFound(err) {
				errs = append(errs, fmt.Errorf("deleting file %s (%q): %w", f.ID, f.Filename, err))
			}
		}
	}
	return errors.Join(errs...)
}

func sweepUserGroups(string) error {
	c, err := sweepClient()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	groups, err := c.ListUserGroups(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, g := range groups {
		if strings.HasPrefix(g.Name, accPrefix) {
			if err := c.DeleteUserGroup(ctx, g.ID); err != nil && !appmixer.IsNotFound(err) {
				errs = append(errs, fmt.Errorf("deleting user group %s (%q): %w", g.ID, g.Name, err))
			}
		}
	}
	return errors.Join(errs...)
}
