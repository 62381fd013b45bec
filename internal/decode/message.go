package decode

import "fmt"

// Message is what a decoder says about a bad record: an English format and
// its arguments. The format is the message's key in the translations of
// internal/i18n, which render it in the user's language (it implements
// i18n.Localizer); String gives the English text.
type Message struct {
	Format string
	Args   []any
}

// message returns the Message format makes of args.
func message(format string, args ...any) Message {
	return Message{Format: format, Args: args}
}

// String returns the message in English.
func (m Message) String() string { return m.Localize(fmt.Sprintf) }

// Localize writes the message through sprintf.
func (m Message) Localize(sprintf func(format string, args ...any) string) string {
	return sprintf(m.Format, m.Args...)
}

// messageError is an error whose text is a Message; arguments that are
// errors are wrapped.
type messageError struct{ Message }

// Error returns the message in English; %w formats an error as %v does.
func (e *messageError) Error() string { return e.Localize(errorf) }

// Unwrap returns the arguments that are errors.
func (e *messageError) Unwrap() []error {
	var out []error
	for _, a := range e.Args {
		if err, ok := a.(error); ok {
			out = append(out, err)
		}
	}
	return out
}

// errorf formats as fmt.Errorf does.
func errorf(format string, args ...any) string { return fmt.Errorf(format, args...).Error() }

// messageErr returns the error whose text format makes of args.
func messageErr(format string, args ...any) error {
	return &messageError{message(format, args...)}
}

// Note is a message about the record at a line of an input.
type Note struct {
	Line int
	Message
}

// Messages returns the format of every message a decoder writes about a
// bad record or an input it cannot read, for the translations to cover.
func Messages() []string {
	return []string{
		msgNotJSON, msgTableNotObject, msgMemberName, msgRecordOver, msgTruncated,
		msgNoBrace, msgColon, msgValue, msgNewline, msgNoBracket, msgNoBracketCut,
		msgLineOver, msgQuoteOver, msgQuoteColumns, msgColumns, msgInvalidJSON,
		msgColumnsInvalid, msgColumnsNotArray, msgCut, msgCutGzip, msgCutRecord, msgCutRecordGzip,
		msgNotJSONOrCSV, msgHeader, msgHeaderColumns,
	}
}

// The messages about bad records.
const (
	msgNotJSON         = "not JSON: unexpected %s"
	msgTableNotObject  = "a Log Analytics table that is not an object"
	msgMemberName      = "invalid JSON object: unexpected %s where a member name belongs"
	msgRecordOver      = "record over the %s limit; skipped"
	msgTruncated       = "input ends inside a JSON value (truncated?)"
	msgNoBrace         = "invalid JSON: record ends before its closing brace (cut short?)"
	msgColon           = "invalid JSON: expected ':' after member name, found %s"
	msgValue           = "invalid JSON: unexpected %s where a value belongs"
	msgNewline         = "invalid JSON: newline inside a string (unterminated string?)"
	msgNoBracket       = "invalid JSON: record ends before its closing bracket"
	msgNoBracketCut    = "invalid JSON: record ends before its closing bracket (cut short?)"
	msgLineOver        = "line over the %s record limit; skipped"
	msgQuoteOver       = "a quoted field from line %d runs over the %s record limit (a quote never closed?); line %d skipped"
	msgQuoteColumns    = "a quoted field runs from line %d to %d and leaves %d columns, the header has %d (a quote never closed?); line %d skipped"
	msgColumns         = "row has %d columns, the header %d; skipped"
	msgInvalidJSON     = "invalid JSON: %s"
	msgColumnsInvalid  = "invalid table columns: %s"
	msgColumnsNotArray = "table columns are not an array"
	msgCut             = "input cut short after %d bytes: %v"
	msgCutGzip         = "input cut short after %d bytes of decompressed data: %v"
	msgCutRecord       = "input cut short after %d bytes: %v; the record that starts here is incomplete and skipped"
	msgCutRecordGzip   = "input cut short after %d bytes of decompressed data: %v; the record that starts here is incomplete and skipped"
	// Why a whole input could not be read.
	msgNotJSONOrCSV  = "content is neither JSON nor CSV"
	msgHeader        = "reading CSV header: %w"
	msgHeaderColumns = "CSV header has none of the columns of a supported layout (Log Analytics: OperationName, TimeGenerated; portal: Date (UTC), Activity or Request ID): %s"
)
