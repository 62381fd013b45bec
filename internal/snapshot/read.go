package snapshot

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/appwatch/appwatch/internal/textenc"
)

// Problem is something Read left out: a file it could not open or did
// not recognise, a directory it could not list, or an object or a value in
// a file that it could not use.
type Problem struct {
	File   string
	Reason string
	// Ignored is true when the file holds data appwatch recognises but
	// does not evaluate, such as a list of users: nothing was lost.
	Ignored bool
}

// String formats the problem as "file: reason".
func (p Problem) String() string { return p.File + ": " + p.Reason }

// Unread counts the problems that lost data: every problem but the
// ignored ones.
func Unread(problems []Problem) int {
	n := 0
	for _, p := range problems {
		if !p.Ignored {
			n++
		}
	}
	return n
}

// Read reads a snapshot from files and directories (every *.json file
// under a directory). It recognises what each file holds from its
// content, not its name: the @odata.context of a Graph response, or else
// the @odata.type or the properties of its objects. It accepts what Write
// produces and what other tools save: Graph list responses, az rest and
// Graph Explorer output, PowerShell ConvertTo-Json output (arrays, single
// objects, PascalCase names, "Value" for "value", UTF-16), objects with
// their owners expanded, and owner or federated credential lists saved
// apart whose @odata.context names the object they belong to. Objects
// found in several files are merged by id. What it cannot use is reported
// as problems, and so is a file that cannot be opened or a directory
// that cannot be listed below a path given: the rest is still read. Only
// a path given that does not exist is an error.
func Read(paths ...string) (*Snapshot, []Problem, error) {
	r := newReader()
	files, err := r.jsonFiles(paths)
	if err != nil {
		return nil, nil, fmt.Errorf("read snapshot: %w", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			r.problem(f, "cannot be read: %v", unwrapPath(err))
			continue
		}
		r.add(f, data)
	}
	return r.snapshot(), r.problems, nil
}

// jsonFiles expands directories into the *.json files under them, sorted,
// noting the directories it cannot list as problems.
func (r *reader) jsonFiles(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			files = append(files, p)
			continue
		}
		filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				r.problem(path, "cannot be listed: %v", unwrapPath(err))
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
			case !d.IsDir() && strings.EqualFold(filepath.Ext(path), ".json"):
				files = append(files, path)
			}
			return nil
		})
	}
	slices.Sort(files)
	return slices.Compact(files), nil
}

// unwrapPath drops the operation and path of a *fs.PathError, which the
// problem already names.
func unwrapPath(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err
	}
	return err
}

// reader gathers the objects of many files, merging them by id.
type reader struct {
	stores    map[Collection]store
	appOwners map[string][]Owner
	spOwners  map[string][]Owner
	appFICs   map[string][]FederatedIdentityCredential
	impacted  map[string][]ImpactedResource // by recommendation id
	appliesTo map[string][]Owner            // by app management policy id
	gaps      []Gap
	contexts  map[Collection]string
	problems  []Problem
}

func newReader() *reader {
	r := &reader{
		stores:    map[Collection]store{},
		appOwners: map[string][]Owner{}, spOwners: map[string][]Owner{},
		appFICs:  map[string][]FederatedIdentityCredential{},
		impacted: map[string][]ImpactedResource{}, appliesTo: map[string][]Owner{},
		contexts: map[Collection]string{},
	}
	for _, d := range defs {
		r.stores[d.c] = d.newStore()
	}
	return r
}

// store holds the objects of one collection by id.
type store interface {
	add(r *reader, file string, i int, raw json.RawMessage)
	fill(s *Snapshot)
}

// storeOf is the store of a collection of T.
type storeOf[T any] struct {
	m     map[string]*T
	id    func(T) string
	field func(*Snapshot) *[]T
}

func (st *storeOf[T]) add(r *reader, file string, i int, raw json.RawMessage) {
	addByID(r, file, i, raw, st.m, st.id)
}

func (st *storeOf[T]) fill(s *Snapshot) { *st.field(s) = values(st.m) }

// objects returns the objects read so far of collection c, which holds T.
func objects[T any](r *reader, c Collection) map[string]*T {
	return r.stores[c].(*storeOf[T]).m
}

func (r *reader) problem(file, format string, args ...any) {
	r.problems = append(r.problems, Problem{File: file, Reason: fmt.Sprintf(format, args...)})
}

// ignored notes a file whose data appwatch recognises but does not use.
func (r *reader) ignored(file, format string, args ...any) {
	r.problems = append(r.problems, Problem{File: file, Reason: fmt.Sprintf(format, args...), Ignored: true})
}

// add reads one file's content.
func (r *reader) add(file string, data []byte) {
	data = bytes.TrimSpace(textenc.ToUTF8(data))
	if !json.Valid(data) {
		r.problem(file, "not valid JSON")
		return
	}
	switch data[0] {
	case '[':
		var items []json.RawMessage
		json.Unmarshal(data, &items)
		r.addItems(file, target{}, items)
	case '{':
		r.addObject(file, data)
	default:
		r.problem(file, "holds neither an object nor an array")
	}
}

// addObject reads a file holding one JSON object: a list response or a
// single object.
func (r *reader) addObject(file string, data []byte) {
	var obj map[string]json.RawMessage
	json.Unmarshal(data, &obj)
	var ctx string
	var value json.RawMessage
	for k, v := range obj {
		switch strings.ToLower(k) {
		case "@odata.context":
			json.Unmarshal(v, &ctx)
		case "value":
			value = v
		}
	}
	t := parseContext(ctx)
	if t.kind == kindForeign {
		r.ignored(file, "holds %s, which appwatch does not read", t.path)
		return
	}
	var items []json.RawMessage
	if json.Unmarshal(value, &items) != nil {
		r.addItems(file, t, []json.RawMessage{data})
		return
	}
	if coll, ok := collectionOf(t); ok {
		if _, seen := r.contexts[coll]; !seen {
			r.contexts[coll] = ctx
		}
	}
	r.addItems(file, t, items)
}

// collectionOf returns the collection a list of t's objects makes up.
func collectionOf(t target) (Collection, bool) {
	d, ok := defOfKind(t.kind)
	return d.c, ok
}

// addItems adds the objects of one file. When t says what they are, that
// holds for all of them; otherwise each object is classified alone.
func (r *reader) addItems(file string, t target, items []json.RawMessage) {
	if childKinds[t.kind] {
		r.addChildren(file, t, items)
		return
	}
	if t.kind == kindGaps {
		r.gaps = append(r.gaps, decodeAll[Gap](r, file, items)...)
		return
	}
	unknown := 0
	for i, raw := range items {
		k := t.kind
		if k == kindUnknown {
			k = classify(raw)
		}
		switch d, ok := defOfKind(k); {
		case ok && t.cast != "" && (k == kindServicePrincipal || k == kindApplication):
			r.addCast(file, i, raw, k, t.cast)
			r.hold(d.c)
		case ok:
			r.stores[d.c].add(r, file, i, raw)
			r.hold(d.c)
		case k == kindDirectoryRole:
			r.addDirectoryRole(file, i, raw)
		case childKinds[k]:
			r.problem(file, "object %d is an owner or a federated credential, but the file does not say whose", i)
		default:
			unknown++
		}
	}
	if unknown > 0 {
		r.problem(file, "%d of %d objects are of no kind appwatch reads", unknown, len(items))
	}
}

// hold records that the snapshot holds collection c.
func (r *reader) hold(c Collection) {
	if _, ok := r.contexts[c]; !ok {
		r.contexts[c] = ""
	}
}

// addCast adds a service principal or application read from a list cast
// to a subtype, giving it that type when it does not carry one.
func (r *reader) addCast(file string, i int, raw json.RawMessage, k kind, cast string) {
	if k == kindServicePrincipal {
		if v, ok := decode[ServicePrincipal](r, file, i, raw); ok && v.ID != "" {
			v.ODataType = cmp.Or(v.ODataType, cast)
			merge(objects[ServicePrincipal](r, ServicePrincipals), v.ID, v)
		}
		return
	}
	if v, ok := decode[Application](r, file, i, raw); ok && v.ID != "" {
		v.ODataType = cmp.Or(v.ODataType, cast)
		merge(objects[Application](r, Applications), v.ID, v)
	}
}

// addChildren adds an owner, federated credential, impacted resource or
// applies-to list to the object its context names.
func (r *reader) addChildren(file string, t target, items []json.RawMessage) {
	want := map[kind]kind{kindImpactedResource: kindRecommendation, kindAppliesTo: kindAppManagementPolicy}[t.kind]
	if want == kindUnknown {
		want = kindApplication
		if t.parent == kindServicePrincipal {
			want = kindServicePrincipal
		}
	}
	if t.parentID == "" || t.parent != want {
		r.problem(file, "holds %s without the id of the object they belong to", t.path)
		return
	}
	switch t.kind {
	case kindImpactedResource:
		r.impacted[t.parentID] = decodeAll[ImpactedResource](r, file, items)
	case kindAppliesTo:
		r.appliesTo[t.parentID] = decodeAll[Owner](r, file, items)
	case kindFederatedCredential:
		if t.parent != kindApplication {
			r.ignored(file, "holds federated credentials of a service principal, which appwatch does not read")
			return
		}
		r.appFICs[t.parentID] = decodeAll[FederatedIdentityCredential](r, file, items)
	case kindOwner:
		owners := decodeAll[Owner](r, file, items)
		if t.parent == kindApplication {
			r.appOwners[t.parentID] = owners
		} else {
			r.spOwners[t.parentID] = owners
		}
	}
}

// addDirectoryRole turns an activated directory role with its members
// expanded into role assignments of the members that are service
// principals.
func (r *reader) addDirectoryRole(file string, i int, raw json.RawMessage) {
	role, ok := decode[struct {
		ID             string  `json:"id"`
		DisplayName    string  `json:"displayName"`
		RoleTemplateID string  `json:"roleTemplateId"`
		Members        []Owner `json:"members"`
	}](r, file, i, raw)
	if !ok {
		return
	}
	for _, m := range role.Members {
		if m.Kind() != "servicePrincipal" || m.ID == "" {
			continue
		}
		id := "directoryRoles/" + role.ID + "/members/" + m.ID
		ra := RoleAssignment{ID: id, PrincipalID: m.ID, RoleDefinitionID: role.RoleTemplateID, DirectoryScopeID: "/",
			RoleDefinition: &RoleDefinition{ID: role.RoleTemplateID, DisplayName: role.DisplayName, TemplateID: role.RoleTemplateID}}
		merge(objects[RoleAssignment](r, RoleAssignments), id, ra)
		r.hold(RoleAssignments)
	}
}

// addByID decodes one object and merges it with any object of the same
// id read before.
func addByID[T any](r *reader, file string, i int, raw json.RawMessage, into map[string]*T, id func(T) string) {
	v, ok := decode[T](r, file, i, raw)
	if !ok {
		return
	}
	key := id(v)
	if key == "" {
		r.problem(file, "object %d has no id", i)
		return
	}
	merge(into, key, v)
}

// merge stores v under key, or fills the fields the stored object lacks.
func merge[T any](into map[string]*T, key string, v T) {
	old, ok := into[key]
	if !ok {
		into[key] = &v
		return
	}
	dst, src := reflect.ValueOf(old).Elem(), reflect.ValueOf(v)
	for f := range dst.NumField() {
		if field := dst.Field(f); field.CanSet() && field.IsZero() {
			field.Set(src.Field(f))
		}
	}
}

// decode decodes one object. A value of the wrong type is reported and
// left out, and the rest of the object is kept.
func decode[T any](r *reader, file string, i int, raw json.RawMessage) (T, bool) {
	var v T
	err := json.Unmarshal(raw, &v)
	var typeErr *json.UnmarshalTypeError
	switch {
	case err == nil:
		return v, true
	case errors.As(err, &typeErr):
		r.problem(file, "object %d: left out %s: %v", i, typeErr.Field, err)
		return v, true
	}
	r.problem(file, "object %d: %v", i, err)
	return v, false
}

func decodeAll[T any](r *reader, file string, items []json.RawMessage) []T {
	out := make([]T, 0, len(items))
	for i, raw := range items {
		if v, ok := decode[T](r, file, i, raw); ok {
			out = append(out, v)
		}
	}
	return out
}

// snapshot returns what was read as a Snapshot. Owner and federated
// credential lists read apart replace what objects held inline, which
// may have been cut short.
func (r *reader) snapshot() *Snapshot {
	apps, sps := objects[Application](r, Applications), objects[ServicePrincipal](r, ServicePrincipals)
	for id, owners := range r.appOwners {
		stub(apps, id, func(a *Application) { a.ID = id }).Owners = owners
	}
	for id, fics := range r.appFICs {
		stub(apps, id, func(a *Application) { a.ID = id }).FederatedIdentityCredentials = fics
	}
	for id, owners := range r.spOwners {
		stub(sps, id, func(sp *ServicePrincipal) { sp.ID = id }).Owners = owners
	}
	recs := objects[Recommendation](r, Recommendations)
	for id, res := range r.impacted {
		stub(recs, id, func(v *Recommendation) { v.ID = id }).ImpactedResources = res
		r.hold(Recommendations)
	}
	pols := objects[AppManagementPolicy](r, AppManagementPolicies)
	for id, to := range r.appliesTo {
		stub(pols, id, func(v *AppManagementPolicy) { v.ID = id }).AppliesTo = to
		r.hold(AppManagementPolicies)
	}
	s := &Snapshot{Contexts: r.contexts, Gaps: r.gaps}
	for _, st := range r.stores {
		st.fill(s)
	}
	for _, c := range []Collection{Applications, ServicePrincipals} {
		if s.Count(c) > 0 {
			r.hold(c)
		}
	}
	s.normalize()
	return s
}

// stub returns the object stored under id, storing a new one first when
// there is none.
func stub[T any](m map[string]*T, id string, init func(*T)) *T {
	if v, ok := m[id]; ok {
		return v
	}
	v := new(T)
	init(v)
	m[id] = v
	return v
}

func values[T any](m map[string]*T) []T {
	out := make([]T, 0, len(m))
	for _, v := range m {
		out = append(out, *v)
	}
	return out
}
