package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
)

// Query selects alerts as the console filters them. Empty fields select
// everything; values of one field are alternatives, fields all apply.
type Query struct {
	Tenants  []string
	Rows     []string // guide rows
	Levels   []string
	Statuses []string
	Apps     []string // application ids
	Actors   []string // actor ids (see Matcher.ActorID)
	// Since and Until bound the alert's time (the activity's, or when it
	// was stored when it has none): Since inclusive, Until exclusive.
	Since, Until time.Time
	// OutsideHours keeps only the alerts outside business hours.
	OutsideHours bool
	// Assignee keeps the alerts assigned to one person.
	Assignee string
	// Sources keeps the alerts stored from these watch sources (posture
	// for posture findings).
	Sources []string
	// RuleIDs keeps the alerts of these rules or checks.
	RuleIDs []string
}

// Facets the console counts alerts by.
const (
	FacetTenant  = "tenant"
	FacetRow     = "row"
	FacetLevel   = "level"
	FacetStatus  = "status"
	FacetApp     = "app"
	FacetActor   = "actor"
	FacetOutside = "outside"
)

// FacetNames returns the facets, in the order the console shows them.
func FacetNames() []string {
	return []string{FacetStatus, FacetLevel, FacetRow, FacetApp, FacetActor, FacetTenant, FacetOutside}
}

// where writes q as a WHERE clause with ? placeholders, leaving out the
// filter of facet skip.
func (q Query) where(skip string) (string, []any) {
	var conds []string
	var args []any
	in := func(facet, col string, vals []string) {
		if (facet != "" && (facet == skip || skip == allFacets)) || len(vals) == 0 {
			return
		}
		conds = append(conds, col+" IN ("+marks(len(vals))+")")
		args = append(args, strs(vals)...)
	}
	in(FacetTenant, "tenant_id", q.Tenants)
	in(FacetRow, "guide_row", q.Rows)
	in(FacetLevel, "level", q.Levels)
	in(FacetStatus, "status", q.Statuses)
	in(FacetApp, "app_id", q.Apps)
	in(FacetActor, "actor_id", q.Actors)
	if !q.Since.IsZero() {
		conds, args = append(conds, "sort_ns >= ?"), append(args, q.Since.UnixNano())
	}
	if !q.Until.IsZero() {
		conds, args = append(conds, "sort_ns < ?"), append(args, q.Until.UnixNano())
	}
	if q.OutsideHours && skip != FacetOutside && skip != allFacets {
		conds, args = append(conds, "outside_hours = ?"), append(args, true)
	}
	if q.Assignee != "" {
		conds, args = append(conds, "assignee = ?"), append(args, q.Assignee)
	}
	in("", "source", q.Sources)
	in("", "rule_id", q.RuleIDs)
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Stored is an alert as the console shows it: the alert with what the
// store knows about it.
type Stored struct {
	Seq int64
	// Alert holds the alert, with AlertKey, Status and FirstSeen set.
	Alert alert.Alert
	// Sort is the alert's place in lists: its time, or when it was
	// stored.
	Sort     time.Time
	Assignee string
	Verdict  string
	// SuppressedBy says why a suppressed alert is (see
	// Alert.SuppressedBy); SilenceOf reads the silence it names.
	SuppressedBy string
	// Triaged is when people last changed it; zero if never.
	Triaged time.Time
	// Record is the record it was raised on as JSON, when kept (Alert
	// and AlertByKey only).
	Record []byte
}

// Cursor is a place in the list of alerts: lists go from the newest to
// the oldest, and a page after a cursor starts past it.
type Cursor struct {
	Sort int64
	Seq  int64
}

// String writes the cursor for a URL.
func (c Cursor) String() string { return fmt.Sprintf("%d.%d", c.Sort, c.Seq) }

// ParseCursor reads a cursor written by String.
func ParseCursor(s string) (Cursor, error) {
	var c Cursor
	if _, err := fmt.Sscanf(s, "%d.%d", &c.Sort, &c.Seq); err != nil {
		return Cursor{}, fmt.Errorf("cursor %q: %w", s, err)
	}
	return c, nil
}

// listColumns are the columns scanStored reads, in order.
const listColumns = "seq, alert_key, status, first_seen_ns, sort_ns, assignee, verdict, suppressed_by, triaged_ns, body"

// List returns up to limit alerts q selects, newest first, starting after
// cursor when it is not nil. next is the cursor of the page after, nil
// on the last page.
func (s *Store) List(ctx context.Context, q Query, after *Cursor, limit int) (alerts []Stored, next *Cursor, err error) {
	defer s.timed("list")()
	where, args := q.where("")
	if after != nil {
		where = cmp.Or(where, " WHERE 1 = 1") + " AND (sort_ns, seq) < (?, ?)"
		args = append(args, after.Sort, after.Seq)
	}
	rows, err := s.db.QueryContext(ctx, s.q("SELECT "+listColumns+" FROM alerts"+where+" ORDER BY sort_ns DESC, seq DESC LIMIT ?"),
		append(args, limit+1)...)
	if err != nil {
		return nil, nil, fmt.Errorf("store %s: list alerts: %w", s.name, err)
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanStored(rows)
		if err != nil {
			return nil, nil, fmt.Errorf("store %s: list alerts: %w", s.name, err)
		}
		alerts = append(alerts, a)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store %s: list alerts: %w", s.name, err)
	}
	if len(alerts) > limit {
		alerts = alerts[:limit]
		last := alerts[limit-1]
		next = &Cursor{Sort: last.Sort.UnixNano(), Seq: last.Seq}
	}
	return alerts, next, nil
}

func scanStored(row interface{ Scan(...any) error }, extra ...any) (Stored, error) {
	var a Stored
	var key, status, body string
	var first, sortNS int64
	var triaged sql.NullInt64
	dest := append([]any{&a.Seq, &key, &status, &first, &sortNS, &a.Assignee, &a.Verdict, &a.SuppressedBy, &triaged, &body}, extra...)
	if err := row.Scan(dest...); err != nil {
		return Stored{}, err
	}
	if err := json.Unmarshal([]byte(body), &a.Alert); err != nil {
		return Stored{}, fmt.Errorf("alert %s: %w", key, err)
	}
	a.Alert.AlertKey, a.Alert.Status, a.Alert.FirstSeen = key, status, alert.FormatTime(time.Unix(0, first))
	a.Sort, a.Triaged = time.Unix(0, sortNS).UTC(), fromNanos(triaged)
	return a, nil
}

// AlertByKey returns the alert key with its record, or ErrNotFound.
func (s *Store) AlertByKey(ctx context.Context, key string) (Stored, error) {
	defer s.timed("alert")()
	var record sql.NullString
	row := s.db.QueryRowContext(ctx, s.q("SELECT "+prefixed("a.", listColumns)+", r.record FROM alerts a LEFT JOIN alert_records r ON r.alert_key = a.alert_key WHERE a.alert_key = ?"), key)
	a, err := scanStored(row, &record)
	if errors.Is(err, sql.ErrNoRows) {
		return Stored{}, ErrNotFound
	}
	if err != nil {
		return Stored{}, fmt.Errorf("store %s: alert %s: %w", s.name, key, err)
	}
	if record.Valid {
		a.Record = []byte(record.String)
	}
	return a, nil
}

// prefixed writes each of the comma-separated columns with prefix.
func prefixed(prefix, columns string) string {
	cols := strings.Split(columns, ", ")
	for i, c := range cols {
		cols[i] = prefix + c
	}
	return strings.Join(cols, ", ")
}

// MaxRelated bounds how many related alerts Related returns.
const MaxRelated = 50

// Related returns the alerts related to a, newest first: those raised on
// the same record or operation (same event id or correlation id), the
// correlation alerts a's record contributed to, and, for a correlation
// alert, the alerts of the records behind it.
func (s *Store) Related(ctx context.Context, a *alert.Alert) ([]Stored, error) {
	defer s.timed("related")()
	// Each way of being related is a lookup by index; their union
	// names the alerts to read.
	keys := []string{"SELECT a.alert_key FROM alert_events e JOIN alerts a ON a.event_id = e.event_id AND a.event_id <> '' WHERE e.alert_key = ?"}
	args := []any{a.AlertKey}
	if a.EventID != "" {
		keys = append(keys, "SELECT alert_key FROM alerts WHERE event_id = ? AND event_id <> ''", "SELECT alert_key FROM alert_events WHERE event_id = ?")
		args = append(args, a.EventID, a.EventID)
	}
	if a.CorrelationID != "" {
		keys, args = append(keys, "SELECT alert_key FROM alerts WHERE correlation_id = ? AND correlation_id <> ''"), append(args, a.CorrelationID)
	}
	query := "SELECT " + listColumns + " FROM alerts WHERE alert_key IN (" + strings.Join(keys, " UNION ") +
		") AND alert_key <> ? ORDER BY sort_ns DESC, seq DESC LIMIT ?"
	rows, err := s.db.QueryContext(ctx, s.q(query), append(args, a.AlertKey, MaxRelated)...)
	if err != nil {
		return nil, fmt.Errorf("store %s: related alerts: %w", s.name, err)
	}
	defer rows.Close()
	var out []Stored
	for rows.Next() {
		r, err := scanStored(rows)
		if err != nil {
			return nil, fmt.Errorf("store %s: related alerts: %w", s.name, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FacetValue is one value of a facet and how many alerts have it.
type FacetValue struct {
	Value string
	// Label is how the value is shown, when the store knows better than
	// the value (an app's name for its id).
	Label string
	N     int64
}

// MaxFacetValues bounds the values counted per facet: the most frequent.
const MaxFacetValues = 25

// Facets counts the alerts q selects by each facet's values, the most
// frequent first. Each facet is counted with every filter of q but its
// own, so that it shows what choosing another value would give.
//
// The alerts the filters that are not facets select are read grouped by
// every facet's value together (an index holds those columns), and each
// facet adds up the groups its other facets keep. The groups are kept
// while the generation of the alerts stays the same (see facetCache), so
// that choosing facets reads only a few rows.
func (s *Store) Facets(ctx context.Context, q Query) (map[string][]FacetValue, error) {
	defer s.timed("facets")()
	where, args := q.where(allFacets)
	groups, err := s.facetGroups(ctx, where, args)
	if err != nil {
		return nil, fmt.Errorf("store %s: count by facet: %w", s.name, err)
	}
	names := FacetNames()
	counts := make([]map[string]*FacetValue, len(names))
	for i := range names {
		counts[i] = map[string]*FacetValue{}
	}
	chosen := q.chosen()
	for _, g := range groups {
		for i, f := range names {
			if !keeps(chosen, &g, i) {
				continue
			}
			v := counts[i][g.vals[i]]
			if v == nil {
				v = &FacetValue{Value: g.vals[i]}
				counts[i][g.vals[i]] = v
			}
			v.N += g.n
			switch f {
			case FacetApp:
				v.Label = max(v.Label, g.appName)
			case FacetActor:
				v.Label = max(v.Label, g.actorName)
			}
		}
	}
	out := map[string][]FacetValue{}
	for i, byValue := range counts {
		var list []FacetValue
		for _, v := range byValue {
			list = append(list, *v)
		}
		slices.SortFunc(list, func(a, b FacetValue) int {
			return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Value, b.Value))
		})
		if len(list) > MaxFacetValues {
			list = list[:MaxFacetValues]
		}
		if len(list) > 0 {
			out[names[i]] = list
		}
	}
	return out, nil
}

// facetGroup counts the alerts with one value of every facet, the
// values indexed as FacetNames orders the facets.
type facetGroup struct {
	vals               [7]string
	appName, actorName string
	n                  int64
}

// facetGroups returns the alerts that where selects grouped by every
// facet's value, from the cache when the alerts have not changed since
// they were read. The generation is read before the alerts, so that
// groups are never kept under a generation newer than what they count.
func (s *Store) facetGroups(ctx context.Context, where string, args []any) ([]facetGroup, error) {
	gen, err := s.Generation(ctx)
	if err != nil {
		return nil, err
	}
	key := where + fmt.Sprintf("\x00%#v", args)
	if groups, ok := s.facets.get(gen, key); ok {
		return groups, nil
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT status, level, guide_row, app_id, actor_id, tenant_id, outside_hours,
		MAX(app_name), MAX(actor_name), COUNT(*) FROM alerts`+where+
		` GROUP BY status, level, guide_row, tenant_id, app_id, actor_id, outside_hours`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var groups []facetGroup
	for rows.Next() {
		var g facetGroup
		var outside any
		if err := rows.Scan(&g.vals[0], &g.vals[1], &g.vals[2], &g.vals[3], &g.vals[4], &g.vals[5], &outside, &g.appName, &g.actorName, &g.n); err != nil {
			return nil, err
		}
		g.vals[6] = facetText(outside)
		groups = append(groups, g)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	s.facets.put(gen, key, groups)
	return groups, nil
}

// allFacets tells where to leave out the filters of every facet.
const allFacets = "*"

// chosen returns the values q keeps of each facet, indexed as
// FacetNames orders them; nil for the facets it does not filter.
func (q Query) chosen() [][]string {
	out := make([][]string, len(FacetNames()))
	for i, f := range FacetNames() {
		switch f {
		case FacetTenant:
			out[i] = q.Tenants
		case FacetRow:
			out[i] = q.Rows
		case FacetLevel:
			out[i] = q.Levels
		case FacetStatus:
			out[i] = q.Statuses
		case FacetApp:
			out[i] = q.Apps
		case FacetActor:
			out[i] = q.Actors
		case FacetOutside:
			if q.OutsideHours {
				out[i] = []string{"true"}
			}
		}
	}
	return out
}

// keeps reports whether the group g passes the filters chosen of every
// facet but the one at index skip.
func keeps(chosen [][]string, g *facetGroup, skip int) bool {
	for i, want := range chosen {
		if i != skip && len(want) > 0 && !slices.Contains(want, g.vals[i]) {
			return false
		}
	}
	return true
}

// facetText writes a facet's value: outside_hours is a boolean in
// PostgreSQL and an integer in SQLite.
func facetText(v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "true"
		}
		return "false"
	case int64:
		if x != 0 {
			return "true"
		}
		return "false"
	case []byte:
		return string(x)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// Group counts the alerts of one application and guide row.
type Group struct {
	AppID, AppName string
	Row            string
	// ByLevel counts the alerts by level, as alert.Rank numbers them
	// (index 1 informational to 5 critical; 0 unknown levels).
	ByLevel [6]int64
	N       int64
	Latest  time.Time
}

// MaxGroups bounds the groups Groups returns.
const MaxGroups = 200

// Groups counts the alerts q selects by application and guide row (by
// application alone when byRow is false), the groups with the most
// severe alerts first, then the largest.
func (s *Store) Groups(ctx context.Context, q Query, byRow bool) ([]Group, error) {
	defer s.timed("groups")()
	where, args := q.where("")
	row, group := "''", "app_id, level_rank"
	if byRow {
		row, group = "guide_row", "app_id, guide_row, level_rank"
	}
	query := "SELECT app_id, MAX(app_name), " + row + ", level_rank, COUNT(*), MAX(sort_ns) FROM alerts" + where + " GROUP BY " + group
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store %s: group alerts: %w", s.name, err)
	}
	defer rows.Close()
	byKey := map[[2]string]*Group{}
	var out []*Group
	for rows.Next() {
		var app, name, r string
		var rank, n, latest int64
		if err := rows.Scan(&app, &name, &r, &rank, &n, &latest); err != nil {
			return nil, fmt.Errorf("store %s: group alerts: %w", s.name, err)
		}
		g := byKey[[2]string{app, r}]
		if g == nil {
			g = &Group{AppID: app, Row: r}
			byKey[[2]string{app, r}] = g
			out = append(out, g)
		}
		g.AppName = cmp.Or(g.AppName, name)
		if rank >= 0 && rank < int64(len(g.ByLevel)) {
			g.ByLevel[rank] += n
		}
		g.N += n
		if t := time.Unix(0, latest).UTC(); t.After(g.Latest) {
			g.Latest = t
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store %s: group alerts: %w", s.name, err)
	}
	slices.SortFunc(out, func(a, b *Group) int {
		for r := len(a.ByLevel) - 1; r > 0; r-- {
			if c := cmp.Compare(b.ByLevel[r], a.ByLevel[r]); c != 0 {
				return c
			}
		}
		return cmp.Or(cmp.Compare(a.AppID, b.AppID), cmp.Compare(a.Row, b.Row))
	})
	res := make([]Group, 0, min(len(out), MaxGroups))
	for _, g := range out[:min(len(out), MaxGroups)] {
		res = append(res, *g)
	}
	return res, nil
}

// Count returns how many alerts q selects.
func (s *Store) Count(ctx context.Context, q Query) (int64, error) {
	defer s.timed("count")()
	where, args := q.where("")
	var n int64
	if err := s.db.QueryRowContext(ctx, s.q("SELECT COUNT(*) FROM alerts"+where), args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store %s: count alerts: %w", s.name, err)
	}
	return n, nil
}

// Newest returns the sequence number of the alert stored last, 0 when
// there is none: pages compare it to tell that alerts arrived.
func (s *Store) Newest(ctx context.Context) (int64, error) {
	var seq sql.NullInt64
	if err := s.db.QueryRowContext(ctx, "SELECT MAX(seq) FROM alerts").Scan(&seq); err != nil {
		return 0, fmt.Errorf("store %s: newest alert: %w", s.name, err)
	}
	return seq.Int64, nil
}

// CountSince returns how many alerts q selects among those stored after
// sequence number seq.
func (s *Store) CountSince(ctx context.Context, q Query, seq int64) (int64, error) {
	defer s.timed("count")()
	// The alerts after seq come first, by the primary key, and the
	// filter is applied to them alone: a page polls for new alerts, so
	// there are few, whereas the filter's own index may hold many.
	where, args := q.where("")
	var n int64
	if err := s.db.QueryRowContext(ctx, s.q(`WITH fresh AS MATERIALIZED (SELECT tenant_id, guide_row, level, status, app_id,
		actor_id, sort_ns, outside_hours, assignee, source, rule_id FROM alerts WHERE seq > ?)
		SELECT COUNT(*) FROM fresh`+where), append([]any{seq}, args...)...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store %s: count new alerts: %w", s.name, err)
	}
	return n, nil
}

// Arrival says when data last arrived from a source, of one kind of log.
type Arrival struct {
	Source string
	// Kind is the kind of log (an event.Kind: audit, signin, keyvault,
	// activity, ...), or "" for every record the source read.
	Kind        string
	First, Last time.Time
	Batches     int64
	Records     int64
	// Usual is the usual pause between arrivals: an average of the
	// pauses longer than a minute, zero until there has been one.
	Usual time.Duration
}

// Arrivals returns when data last arrived, by source and kind.
func (s *Store) Arrivals(ctx context.Context) ([]Arrival, error) {
	defer s.timed("arrivals")()
	rows, err := s.db.QueryContext(ctx, "SELECT source, kind, first_ns, last_ns, batches, records, gap_ns FROM arrivals ORDER BY source, kind")
	if err != nil {
		return nil, fmt.Errorf("store %s: arrivals: %w", s.name, err)
	}
	defer rows.Close()
	var out []Arrival
	for rows.Next() {
		var a Arrival
		var first, last, gap int64
		if err := rows.Scan(&a.Source, &a.Kind, &first, &last, &a.Batches, &a.Records, &gap); err != nil {
			return nil, fmt.Errorf("store %s: arrivals: %w", s.name, err)
		}
		a.First, a.Last, a.Usual = time.Unix(0, first).UTC(), time.Unix(0, last).UTC(), time.Duration(gap)
		out = append(out, a)
	}
	return out, rows.Err()
}

// addArrivals records, within a commit, that a batch of records arrived
// from source: records in all, kinds counting its events by kind.
func (s *Store) addArrivals(ctx context.Context, tx *sql.Tx, source string, records int64, kinds map[string]int64, now int64) error {
	if records == 0 {
		return nil
	}
	names := []string{""}
	for k := range kinds {
		if k != "" {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	for _, k := range names {
		n := records
		if k != "" {
			n = kinds[k]
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO arrivals (source, kind, first_ns, last_ns, batches, records, gap_ns)
			VALUES (?, ?, ?, ?, 1, ?, 0)
			ON CONFLICT (source, kind) DO UPDATE SET
				gap_ns = CASE
					WHEN excluded.last_ns - arrivals.last_ns <= 60000000000 THEN arrivals.gap_ns
					WHEN arrivals.gap_ns = 0 THEN excluded.last_ns - arrivals.last_ns
					ELSE (arrivals.gap_ns * 7 + excluded.last_ns - arrivals.last_ns) / 8 END,
				last_ns = excluded.last_ns,
				batches = arrivals.batches + 1,
				records = arrivals.records + excluded.records`), source, k, now, now, n)
		if err != nil {
			return fmt.Errorf("arrivals of %s: %w", k, err)
		}
	}
	return nil
}

// RuleCount counts the alerts of one rule or check.
type RuleCount struct {
	RuleID string
	// Level is the most severe level of its alerts.
	Level string
	// Open counts those open or acknowledged; N all of them.
	Open, N int64
}

// CountByRule counts the alerts q selects by rule, those with the most
// open alerts first.
func (s *Store) CountByRule(ctx context.Context, q Query) ([]RuleCount, error) {
	defer s.timed("count")()
	where, args := q.where("")
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT rule_id, MAX(level_rank),
		SUM(CASE WHEN status IN ('open', 'acknowledged') THEN 1 ELSE 0 END), COUNT(*) FROM alerts`+where+
		` GROUP BY rule_id ORDER BY 3 DESC, 2 DESC, rule_id`), args...)
	if err != nil {
		return nil, fmt.Errorf("store %s: count by rule: %w", s.name, err)
	}
	defer rows.Close()
	var out []RuleCount
	for rows.Next() {
		var rc RuleCount
		var rank int
		if err := rows.Scan(&rc.RuleID, &rank, &rc.Open, &rc.N); err != nil {
			return nil, fmt.Errorf("store %s: count by rule: %w", s.name, err)
		}
		rc.Level = levelOfRank(rank)
		out = append(out, rc)
	}
	return out, rows.Err()
}

// levelOfRank returns the level alert.Rank numbers rank.
func levelOfRank(rank int) string {
	for _, l := range []string{alert.LevelInformational, alert.LevelLow, alert.LevelMedium, alert.LevelHigh, alert.LevelCritical} {
		if alert.Rank(l) == rank {
			return l
		}
	}
	return ""
}
