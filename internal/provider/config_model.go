// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// configModel is an appmixer_config. value_wo is write-only: always null here, read from the
// configuration when it is sent.
type configModel struct {
	ID             types.String         `tfsdk:"id"`
	Key            types.String         `tfsdk:"key"`
	Value          jsonValue[plainJSON] `tfsdk:"value"`
	ValueWO        types.String         `tfsdk:"value_wo"`
	ValueWOVersion types.Int64          `tfsdk:"value_wo_version"`
	Timeouts       timeouts.Value       `tfsdk:"timeouts"`
}

// configWOKey is the private-state key of a write-only value's record. Its presence is what makes a
// resource write-only: Read then never copies the server's value into state.
const configWOKey = "value_wo"

// secretRecord tells whether the server still holds the write-only value this provider sent,
// without keeping the value: Sent and Seen are its secretHash as sent and as last read.
type secretRecord struct {
	Salt string `json:"salt"`
	Sent string `json:"sent"`
	Seen string `json:"seen"`
}

// newSecretRecord records a value just sent.
func newSecretRecord(value string) secretRecord {
	r := secretRecord{Salt: newSecretSalt()}
	r.Sent = r.hash([]byte(value))
	r.Seen = r.Sent
	return r
}

// hash is the salted hash of a JSON value in its canonical form, so that the server's spelling of
// the same value (key order, 1.0 for 1) is the same hash.
func (r secretRecord) hash(value []byte) string {
	canonical := string(value)
	if v, err := decodeJSON(canonical); err == nil {
		if s, err := encodeJSON(v); err == nil {
			canonical = s
		}
	}
	return secretHash([]byte(canonical), r.Salt)
}

// changedByHand reports a value on the server other than the one sent.
func (r secretRecord) changedByHand() bool { return r.Sent != "" && !sameSecretHash(r.Seen, r.Sent) }

// configFromAPI rebuilds the model from the server's entry. A write-only value never enters state:
// when rec says the server no longer holds what was sent, value_wo_version becomes null, so the
// plan shows it changing back to the configured version and applying sends value_wo again.
func configFromAPI(prior configModel, key string, value json.RawMessage, rec *secretRecord) configModel {
	m := prior
	m.ID = types.StringValue(key)
	m.Key = types.StringValue(key)
	m.ValueWO = types.StringNull()
	if rec != nil {
		m.Value = nullJSON[plainJSON]()
		if rec.changedByHand() {
			m.ValueWOVersion = types.Int64Null()
		}
		return m
	}
	m.ValueWOVersion = types.Int64Null()
	if len(value) == 0 {
		value = json.RawMessage("null")
	}
	m.Value = jsonForState(prior.Value, value)
	return m
}

// configWOImportPrefix marks an import ID whose value is a secret: "value_wo:JWTSecret".
const configWOImportPrefix = "value_wo:"

// parseConfigImportID reads "<key>" or "value_wo:<key>".
func parseConfigImportID(id string) (key string, writeOnly bool, err error) {
	key, writeOnly = strings.CutPrefix(id, configWOImportPrefix)
	if strings.TrimSpace(key) == "" {
		return "", false, errors.New("the key is empty")
	}
	return key, writeOnly, nil
}
