// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// HCL text is written by hand: the module is a handful of block shapes, and JSON values are valid
// HCL expressions once template sequences are escaped.

// quote is s as an HCL string literal: JSON's escapes are HCL's, and ${ and %{ are escaped so that
// nothing in a name is read as a template.
func quote(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return escapeTemplate(strings.TrimSuffix(b.String(), "\n"))
}

// escapeTemplate escapes the sequences Terraform's templates (strings and templatefile) interpret.
func escapeTemplate(s string) string {
	return strings.NewReplacer("${", "$${", "%{", "%%{").Replace(s)
}

// hclJSON is a JSON document as an HCL expression (for jsonencode), keeping its key order: objects
// with "key" = value, as terraform fmt leaves them.
func hclJSON(raw json.RawMessage) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var b strings.Builder
	if err := hclValue(dec, &b, ""); err != nil {
		return "", err
	}
	return b.String(), nil
}

func hclValue(dec *json.Decoder, b *strings.Builder, indent string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch v := tok.(type) {
	case json.Delim:
		open, end := string(v), map[json.Delim]string{'{': "}", '[': "]"}[v]
		if !dec.More() {
			_, err := dec.Token()
			b.WriteString(open + end)
			return err
		}
		b.WriteString(open + "\n")
		for dec.More() {
			b.WriteString(indent + "  ")
			if v == '{' {
				key, err := dec.Token()
				if err != nil {
					return err
				}
				b.WriteString(quote(key.(string)) + " = ")
			}
			if err := hclValue(dec, b, indent+"  "); err != nil {
				return err
			}
			if v == '[' {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		_, err = dec.Token()
		b.WriteString(indent + end)
		return err
	case string:
		b.WriteString(quote(v))
	case json.Number:
		b.WriteString(v.String())
	case bool:
		fmt.Fprint(b, v)
	case nil:
		b.WriteString("null")
	}
	return nil
}

// prettyJSON is raw indented for a file, with its key order.
func prettyJSON(raw json.RawMessage) ([]byte, error) {
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// stringList is an HCL list of string literals.
func stringList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// exprMap is an HCL object of string keys to expressions, one per line, sorted by key.
func exprMap(m map[string]string, indent string) string {
	if len(m) == 0 {
		return "{}"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("{\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "%s  %s = %s\n", indent, objectKey(k), m[k])
	}
	b.WriteString(indent + "}")
	return b.String()
}

// objectKey is k as an object key: bare when it is an identifier, quoted otherwise.
func objectKey(k string) string {
	if isIdentifier(k) {
		return k
	}
	return quote(k)
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(unicode.IsLetter(r) || r == '_' || (i > 0 && (unicode.IsDigit(r) || r == '-'))) || r > unicode.MaxASCII {
			return false
		}
	}
	return true
}

// namer gives each object a Terraform name unique within its kind, from its own name.
type namer map[string]map[string]bool

func (n namer) name(kind, from string) string {
	var b strings.Builder
	prevLower := false
	for _, r := range from {
		// camelCase words become snake_case ones: flowsPerUser is flows_per_user.
		if unicode.IsUpper(r) && prevLower && !strings.HasSuffix(b.String(), "_") {
			b.WriteByte('_')
		}
		prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
		r = unicode.ToLower(r)
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	base := strings.TrimSuffix(b.String(), "_")
	if base == "" || !unicode.IsLetter(rune(base[0])) {
		base = "x_" + base
		base = strings.TrimSuffix(base, "_")
	}
	if n[kind] == nil {
		n[kind] = map[string]bool{}
	}
	name := base
	for i := 2; n[kind][name]; i++ {
		name = fmt.Sprintf("%s_%d", base, i)
	}
	n[kind][name] = true
	return name
}
