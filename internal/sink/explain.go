package sink

import (
	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
)

// Explain returns the short clauses, in lang, that say why a fired: the
// same ones the table prints under an alert. Notifications use them so a
// chat message reads like the terminal.
func Explain(lang string, a *alert.Alert) []string {
	return why(i18n.NewPrinter(lang), a)
}
