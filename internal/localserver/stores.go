// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"
)

// Data stores: metadata under /stores, records under /store (Appmixer has no /data-stores). A store
// belongs to the user who created it; another user's store is as missing as an absent one.

type store struct {
	seq            int
	id, userID     string
	name           string
	records        map[string]*storeRecord
	recordSequence int // insertion order of records, their natural list order
}

type storeRecord struct {
	seq                  int
	key, value           string
	createdAt, updatedAt time.Time
}

func (st *store) view() map[string]any { return map[string]any{"name": st.name, "storeId": st.id} }

func (s *Server) ownStore(c *call, id string) (*store, error) {
	st := s.stores[id]
	if st == nil || st.userID != c.user.id {
		return nil, notFound("Store")
	}
	return st, nil
}

// listStores is GET /stores: the caller's stores, oldest first. The route takes no paging parameters.
func (s *Server) listStores(c *call) (any, error) {
	var own []*store
	for _, st := range s.stores {
		if st.userID == c.user.id {
			own = append(own, st)
		}
	}
	slices.SortFunc(own, func(a, b *store) int { return a.seq - b.seq })
	out := make([]any, 0, len(own))
	for _, st := range own {
		out = append(out, st.view())
	}
	return out, nil
}

func (s *Server) getStore(c *call) (any, error) {
	st, err := s.ownStore(c, c.param("id"))
	if err != nil {
		return nil, err
	}
	return st.view(), nil
}

func storeName(c *call) (string, error) {
	body, err := c.object()
	if err != nil {
		return "", err
	}
	if err := onlyKeys(body, "name"); err != nil {
		return "", err
	}
	return requiredString(body, "name")
}

// createStore is POST /stores {"name"} → {"storeId"}.
func (s *Server) createStore(c *call) (any, error) {
	name, err := storeName(c)
	if err != nil {
		return nil, err
	}
	s.seq++
	st := &store{seq: s.seq, id: objectID(), userID: c.user.id, name: name, records: map[string]*storeRecord{}}
	s.stores[st.id] = st
	return map[string]any{"storeId": st.id}, nil
}

// renameStore is PUT /stores/{id} {"name"} → {"oldName", "storeId"}.
func (s *Server) renameStore(c *call) (any, error) {
	st, err := s.ownStore(c, c.param("id"))
	if err != nil {
		return nil, err
	}
	name, err := storeName(c)
	if err != nil {
		return nil, err
	}
	old := st.name
	st.name = name
	return map[string]any{"oldName": old, "storeId": st.id}, nil
}

// deleteStore is DELETE /stores/{id}; the records go with it.
func (s *Server) deleteStore(c *call) (any, error) {
	st, err := s.ownStore(c, c.param("id"))
	if err != nil {
		return nil, err
	}
	delete(s.stores, st.id)
	return map[string]any{}, nil
}

func (st *store) recordView(r *storeRecord) map[string]any {
	return map[string]any{"key": r.key, "value": r.value, "storeId": st.id, "userId": st.userID,
		"createdAt": isoTime(r.createdAt), "updatedAt": isoTime(r.updatedAt)}
}

// recordDocs are a store's records in insertion order.
func (st *store) recordDocs() []map[string]any {
	recs := make([]*storeRecord, 0, len(st.records))
	for _, r := range st.records {
		recs = append(recs, r)
	}
	slices.SortFunc(recs, func(a, b *storeRecord) int { return a.seq - b.seq })
	docs := make([]map[string]any, len(recs))
	for i, r := range recs {
		docs[i] = st.recordView(r)
	}
	return docs
}

// queriedStore is the store a records query names with ?storeId=.
func (s *Server) queriedStore(c *call) (*store, *listQuery, error) {
	id := c.query().Get("storeId")
	if id == "" {
		return nil, nil, badRequest(`"storeId" is required`)
	}
	st, err := s.ownStore(c, id)
	if err != nil {
		return nil, nil, err
	}
	q, err := s.listQuery(c, "key", "value")
	return st, q, err
}

// listRecords is GET /store?storeId=&offset=&limit=&sort=&pattern=.
func (s *Server) listRecords(c *call) (any, error) {
	st, q, err := s.queriedStore(c)
	if err != nil {
		return nil, err
	}
	return q.apply(st.recordDocs()), nil
}

// countRecords is GET /store/count?storeId=.
func (s *Server) countRecords(c *call) (any, error) {
	st, q, err := s.queriedStore(c)
	if err != nil {
		return nil, err
	}
	return map[string]any{"count": q.count(st.recordDocs())}, nil
}

// putRecord is POST (and PUT) /store/{storeId}/{key}: the text/plain body is the value; an existing
// key gets the new value.
func (s *Server) putRecord(c *call) (any, error) {
	st, err := s.ownStore(c, c.param("storeId"))
	if err != nil {
		return nil, err
	}
	key := c.param("key")
	r := st.records[key]
	if r == nil {
		st.recordSequence++
		r = &storeRecord{seq: st.recordSequence, key: key, createdAt: c.now}
		st.records[key] = r
	}
	r.value, r.updatedAt = string(c.body), c.now
	return st.recordView(r), nil
}

// patchRecord is PATCH /store/{storeId}/{key} {key?, value?}: renames the key and/or sets the value.
func (s *Server) patchRecord(c *call) (any, error) {
	st, err := s.ownStore(c, c.param("storeId"))
	if err != nil {
		return nil, err
	}
	r := st.records[c.param("key")]
	if r == nil {
		return nil, notFound("Record")
	}
	body, err := c.object()
	if err != nil {
		return nil, err
	}
	if err := onlyKeys(body, "key", "value"); err != nil {
		return nil, err
	}
	newKey, rename, err := optString(body, "key")
	if err != nil {
		return nil, err
	}
	if rename && newKey != r.key {
		if newKey == "" || st.records[newKey] != nil {
			return nil, errorf(http.StatusConflict, "Key %q already exists in the store.", newKey)
		}
		delete(st.records, r.key)
		r.key = newKey
		st.records[newKey] = r
	}
	if v, ok := body["value"]; ok {
		if r.value, ok = v.(string); !ok {
			return nil, badRequest(`"value" must be a string`)
		}
	}
	r.updatedAt = c.now
	return st.recordView(r), nil
}

// deleteRecord is DELETE /store/{storeId}/{key}.
func (s *Server) deleteRecord(c *call) (any, error) {
	st, err := s.ownStore(c, c.param("storeId"))
	if err != nil {
		return nil, err
	}
	if st.records[c.param("key")] == nil {
		return nil, notFound("Record")
	}
	delete(st.records, c.param("key"))
	return map[string]any{}, nil
}

// deleteRecords is DELETE /store with [{key, storeId}, ...] → {deletedCount}; pairs naming nothing
// (or another user's store) count for nothing.
func (s *Server) deleteRecords(c *call) (any, error) {
	items, err := c.array()
	if err != nil {
		return nil, err
	}
	deleted := 0
	for i, item := range items {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, badRequest("\"[%d]\" must be an object", i)
		}
		key, err := requiredString(m, "key")
		if err != nil {
			return nil, err
		}
		id, err := requiredString(m, "storeId")
		if err != nil {
			return nil, err
		}
		if st, err := s.ownStore(c, id); err == nil && st.records[key] != nil {
			delete(st.records, key)
			deleted++
		}
	}
	return map[string]any{"deletedCount": deleted}, nil
}

// array decodes the request body as a JSON array.
func (c *call) array() ([]any, error) {
	var v []any
	if err := json.Unmarshal(c.body, &v); err != nil || v == nil {
		return nil, badRequest(`"value" must be an array`)
	}
	return v, nil
}
