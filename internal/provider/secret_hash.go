// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// Private state remembers a write-only secret it sent only as a salted, slow hash: enough to see a
// secret changed by hand on the server, never enough to hold it, and costly to guess a weak one from
// (the state file holds private state).

// secretHashIterations makes each guess cost about 2 ms.
const secretHashIterations = 10000

// newSecretSalt is a fresh random salt, base64 as private state keeps it.
func newSecretSalt() string {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt) // crypto/rand does not fail on supported platforms
	return base64.StdEncoding.EncodeToString(salt)
}

// secretHash hashes a secret's canonical form under salt (as newSecretSalt writes it).
func secretHash(canonical []byte, salt string) string {
	key, err := pbkdf2.Key(sha256.New, string(canonical), []byte(salt), secretHashIterations, sha256.Size)
	if err != nil { // only for key lengths FIPS mode refuses; still a keyed hash
		mac := hmac.New(sha256.New, []byte(salt))
		mac.Write(canonical)
		key = mac.Sum(nil)
	}
	return base64.StdEncoding.EncodeToString(key)
}

// sameSecretHash compares two hashes in constant time.
func sameSecretHash(a, b string) bool { return hmac.Equal([]byte(a), []byte(b)) }
