// Package sigma is a Sigma rule engine: it parses Sigma detection and
// correlation rules, compiles them against the caller's event model and
// matches events without allocating.
//
// The engine knows nothing about log formats. A Schema resolves the field
// names written in rules to field IDs (several names may resolve to one
// field, and a field may carry a Fold function for its values) and maps
// each logsource to a set of event kinds. Events implement Event. A rule
// runs only on events of the kinds its logsource covers.
//
// Supported in detections: searches that are maps (AND), lists of maps
// (OR) and keyword lists; lists of values (OR, or AND with "all"); null,
// empty, number and boolean values; the wildcards "*" and "?" with
// backslash escapes; the modifiers contains, startswith, endswith, all,
// cased, exists, re with i, m and s, cidr, gt, gte, lt, lte, neq,
// minute, hour, day, week, month, year, fieldref, expand, base64,
// base64offset, wide, utf16le, utf16be, utf16 and windash; and conditions with and, or, not, parentheses, "1 of" and
// "all of" a pattern or "them". String matching ignores case unless the
// cased modifier is given; regular expressions use Go's RE2 syntax and
// are case-sensitive unless the i modifier is given. Correlation rules
// of type event_count, value_count, temporal and temporal_ordered are
// evaluated by a Correlator, including correlations of correlations.
//
// Anything else (unknown modifiers, unknown fields or
// logsources, aggregation conditions, rule collections with "action")
// makes loading fail with an *Error that names file, line and column.
//
// Typical use:
//
//	rules, err := sigma.Parse("rules/x.yml", data)
//	rs, err := sigma.Compile(rules, schema, placeholders)
//	hits = rs.Match(event, hits[:0])
//	for _, i := range hits {
//		if rs.Standalone(i) { /* alert */ }
//		correlator.Add(i, event, ref)
//	}
//	results := correlator.FlushSettled(time.Hour) // while streaming
//	results = correlator.Flush()                  // at the end
//
// A Correlator holds each hit (the caller's ref and a few words) only
// until the windows that could use it are decided; a long-running caller
// keeps its memory bounded by flushing by watermark (FlushBefore or
// FlushSettled).
//
// A caller that keeps correlation state outside the process (in a
// database shared by several processes, say) stores the hits that
// Ruleset.Hits and Ruleset.OuterHits return, and gives the hits of one
// group back to Ruleset.Evaluate, which runs the same window search as a
// Correlator.
//
// See docs/sigma.md for the exact semantics.
package sigma
