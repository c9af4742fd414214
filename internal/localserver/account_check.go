// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

// POST /accounts/{id}/test (appmixer-api.md §1.5, §8, §10): Appmixer runs the connector's
// validateAccessToken and answers {"<tokenId>": "valid"}. appmixer-local calls no third party: an
// account is valid until SetAccountTest or PUT /_local/accounts/{id}/test says otherwise.

type accountVerdict struct {
	tokenID string // stable per account, like the id of its stored token
	valid   bool
	message string
}

var _ = guess("accounts", "the test of an account whose token has gone bad answers 200 {\"<tokenId>\": \"<the connector's error message>\"}",
	"only {\"<tokenId>\": \"valid\"} is documented (§8); whether a failed test is a 200 with another value or an error status is open")

func (s *Server) verdict(accountID string) *accountVerdict {
	v := s.rt().accountTests[accountID]
	if v == nil {
		v = &accountVerdict{tokenID: objectID(), valid: true}
		s.rt().accountTests[accountID] = v
	}
	return v
}

func (s *Server) setAccountTest(accountID string, valid bool, message string) error {
	if s.accounts[accountID] == nil {
		return notFound("Account")
	}
	if !valid && message == "" {
		message = "The access token is not valid."
	}
	v := s.verdict(accountID)
	v.valid, v.message = valid, message
	if valid {
		v.message = ""
	}
	return nil
}

// testAccount is POST /accounts/{id}/test.
func (s *Server) testAccount(c *call) (any, error) {
	a, err := s.ownAccount(c, c.param("id"))
	if err != nil {
		return nil, err
	}
	v := s.verdict(a.id)
	if v.valid {
		return map[string]any{v.tokenID: "valid"}, nil
	}
	return map[string]any{v.tokenID: v.message}, nil
}
