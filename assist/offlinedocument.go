package assist

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/plume-admin/plume/internal/calendar"
	"github.com/plume-admin/plume/mail"
)

// The offline document summary is extractive: within a budget of
// characters, it keeps first every sentence that carries a figure (an
// amount, a count, a date), a decision, a proposal or a request, then the
// headings and each table's header with its first rows, then the opening
// sentences of the paragraphs, all in the order of the document. It reads
// the extracted text only, so a DOCX and an ODT of the same text give the
// same summary.

// offlineDocBudget is the summary's budget in characters, by length: a
// share of the text, between a floor (a few sentences) and a cap.
var offlineDocBudget = map[string]struct {
	share      float64
	floor, cap int
}{"short": {0.3, 400, 700}, "standard": {0.5, 650, 1400}, "detailed": {0.75, 900, 2800}}

// docBudget is the budget of a summary of text at a length.
func docBudget(text, length string) int {
	b, ok := offlineDocBudget[length]
	if !ok {
		b = offlineDocBudget["standard"]
	}
	return min(b.cap, max(b.floor, int(b.share*float64(len(text)))))
}

var (
	// amountRE matches an amount: "1 850 000 euros", "40 %", "2,88 €".
	amountRE = regexp.MustCompile(`(?i)\d[\d\s.,]*\s?(?:€|euros?\b|eur\b|%|pour cent|millions?\b|milliards?\b)`)
	// dayRE matches a date with its day or its year: "15 juillet", "13/12/2024", "septembre 2025".
	dayRE = regexp.MustCompile(`(?i)\d{1,2}(?:er)?\s+(?:` + calendar.MonthPattern + `)|\b\d{1,2}/\d{1,2}/\d{2,4}\b|(?:` + calendar.MonthPattern + `)\s+\d{4}`)
	// decisionDocRE matches a decision or a proposal.
	decisionDocRE = regexp.MustCompile(`(?i)propos|recommand|préconis|suggèr|suggér|décid|adopt|approuv|valid|retenu|arrêté|avis (?:favorable|défavorable)|accord|fixée?s? (?:à|au|par)`)
)

// docFact ranks a sentence of a document: 2 for an amount, a date, a
// decision, a proposal or a request; 1 for another figure; 0 otherwise.
func docFact(s string) int {
	if amountRE.MatchString(s) || dayRE.MatchString(s) || decisionDocRE.MatchString(s) {
		return 2
	}
	if _, ok := findDeadline(s, time.Time{}); ok {
		return 2
	}
	if _, ok := actionOf(s, &mail.Message{}); ok {
		return 2
	}
	if strings.ContainsAny(s, "0123456789") {
		return 1
	}
	return 0
}

// offlineDocument is the extractive summary of a document.
func offlineDocument(req DocumentRequest, lang, reason string) *DocumentSummary {
	left := docBudget(req.text, req.Length)
	take := func(cost int) bool {
		if cost > left {
			return false
		}
		left -= cost
		return true
	}
	units := docUnits(req.text)
	sents := make([][]string, len(units))
	keep := make([][]bool, len(units))
	keepUnit := make([]bool, len(units)) // headings and tables
	for i, u := range units {
		if u.kind != unitPara {
			continue
		}
		for _, s := range sentences(u.text) {
			sents[i] = append(sents[i], strings.Join(strings.Fields(s), " "))
		}
		keep[i] = make([]bool, len(sents[i]))
	}
	// 1. facts, in the order of the document: amounts, dates, decisions,
	// proposals and requests first, other figures next
	for _, rank := range []int{2, 1} {
		for i := range units {
			for j, s := range sents[i] {
				if !keep[i][j] && docFact(s) == rank {
					keep[i][j] = take(len(s) + 1)
				}
			}
		}
	}
	// 2. headings and shortened tables
	for i, u := range units {
		switch u.kind {
		case unitHeading:
			keepUnit[i] = take(len(u.text) + 2)
		case unitTable:
			keepUnit[i] = take(len(shortTable(u.text, lang)) + 2)
		}
	}
	// 3. opening sentences: the first of each paragraph, then the second…
	for round, more := 0, true; more; round++ {
		more = false
		for i := range units {
			if round < len(sents[i]) {
				more = true
				if !keep[i][round] {
					keep[i][round] = take(len(sents[i][round]) + 1)
				}
			}
		}
	}
	var sb strings.Builder
	if lang == "en" {
		fmt.Fprintf(&sb, "_Automatic offline summary (%s): sentences with figures, dates, decisions, proposals and requests, then headings and opening sentences; not rewritten._\n\n", reason)
	} else {
		fmt.Fprintf(&sb, "_Résumé automatique hors ligne (%s) : phrases portant montants, dates, décisions, propositions et demandes, puis titres et premières phrases ; non reformulées._\n\n", frReason(reason))
	}
	for i, u := range units {
		switch {
		case u.kind == unitHeading && keepUnit[i]:
			sb.WriteString(u.text + "\n\n")
		case u.kind == unitTable && keepUnit[i]:
			sb.WriteString(shortTable(u.text, lang) + "\n\n")
		case u.kind == unitPara:
			var kept []string
			for j, s := range sents[i] {
				if keep[i][j] {
					kept = append(kept, s)
				}
			}
			if len(kept) > 0 {
				sb.WriteString(strings.Join(kept, " ") + "\n\n")
			}
		}
	}
	return &DocumentSummary{Name: req.name, Summary: strings.TrimSpace(sb.String()), Chunks: 1}
}

// shortTable is a table's header and first rows, with a note of its size.
func shortTable(table, lang string) string {
	rows := strings.Split(table, "\n")
	keep := min(len(rows), 4)
	out := strings.Join(rows[:keep], "\n")
	if len(rows) > keep {
		if lang == "en" {
			out += fmt.Sprintf("\n\n(table of %d rows, first %d shown)", len(rows), keep)
		} else {
			out += fmt.Sprintf("\n\n(tableau de %d lignes, %d premières reprises)", len(rows), keep)
		}
	}
	return out
}
