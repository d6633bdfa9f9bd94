package assist

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/plume-admin/plume/internal/calendar"
	"github.com/plume-admin/plume/mail"
)

// Quoted history is read message by message: each quoted message starts
// with a header (an attribution line "Le … a écrit :", or an Outlook block
// "De : / Envoyé : / À : / Objet :" under a rule or a separator), then what
// that message said, its signature, and the history it quoted in turn.
// A quoted message whose header names a message of the thread (same sender,
// same date) is already in the prompt and is left out whole; the others are
// compared sentence by sentence with what the thread says.

// maxQuotedSections bounds the quoted messages read from one message.
const maxQuotedSections = 64

// ruleRE matches separator lines: underscores, dashes, equals signs, and
// the "-----Message d'origine-----" kind.
var ruleRE = regexp.MustCompile(`(?i)^\s*([_=*~–—-]\s*){5,}\s*$|^\s*-{2,}\s*(message d'origine|original message|message transféré|forwarded message)\s*-*\s*$`)

// isRule reports whether line is a separator line.
func isRule(line string) bool { return ruleRE.MatchString(line) }

// quotedSection is one message of quoted history.
type quotedSection struct {
	header []string // attribution or header lines, rules left out
	paras  []string // what the quoted message said, without its signature
}

// quotedSections splits quoted history into the messages it quotes, newest first.
func quotedSections(quoted string) []quotedSection {
	text := unquote(strings.ReplaceAll(quoted, "\r\n", "\n"))
	var out []quotedSection
	for len(out) < maxQuotedSections {
		lines := strings.Split(text, "\n")
		i := 0
		var header []string
		for i < len(lines) {
			l := strings.TrimSpace(lines[i])
			switch {
			case l == "" || isRule(l):
				i++
				continue
			case quoteHeaderRE.MatchString(l):
				header = append(header, l)
				i++
				continue
			}
			// an attribution line wrapped over two or three lines
			if n := wrappedAttribution(lines[i:]); n > 0 {
				for _, w := range lines[i : i+n] {
					header = append(header, strings.TrimSpace(w))
				}
				i += n
				continue
			}
			break
		}
		rest := strings.Join(lines[i:], "\n")
		if strings.TrimSpace(rest) == "" {
			if len(header) > 0 {
				out = append(out, quotedSection{header: header})
			}
			break
		}
		own, deeper, _, _ := mail.Split(rest)
		out = append(out, quotedSection{header: header, paras: paragraphs(own)})
		deeper = unquote(deeper)
		if strings.TrimSpace(deeper) == "" || len(deeper) >= len(text) {
			break
		}
		text = deeper
	}
	return out
}

// wrappedAttribution is the number of lines of an attribution line wrapped
// over up to three lines at the start of ls, 0 when there is none.
func wrappedAttribution(ls []string) int {
	first := strings.ToLower(strings.TrimSpace(ls[0]))
	if !strings.HasPrefix(first, "le ") && !strings.HasPrefix(first, "on ") {
		return 0
	}
	joined := first
	for k := 1; k < 3 && k < len(ls); k++ {
		l := strings.TrimSpace(ls[k])
		if l == "" {
			return 0
		}
		joined += " " + strings.ToLower(l)
		if len(joined) > 400 {
			return 0
		}
		if quoteHeaderRE.MatchString(joined) {
			return k + 1
		}
	}
	return 0
}

// namesThreadMessage reports whether a quoted header names a message of the
// thread: one of its senders and a date within a day of the message's date
// (clients write the date in the reader's time zone), at the same minute
// modulo a quarter of an hour when the header gives the time.
func namesThreadMessage(header []string, t *mail.Thread) bool {
	if len(header) == 0 {
		return false
	}
	h := strings.ToLower(strings.Join(header, " "))
	dates := headerDates(h)
	if len(dates) == 0 {
		return false
	}
	for _, m := range t.Messages {
		if m.Date.IsZero() || !namesSender(h, m) {
			continue
		}
		for _, d := range dates {
			if d.matches(m.Date) {
				return true
			}
		}
	}
	return false
}

func namesSender(h string, m *mail.Message) bool {
	for _, a := range m.From {
		if a.Address != "" && strings.Contains(h, strings.ToLower(a.Address)) {
			return true
		}
		if n := strings.ToLower(strings.Trim(a.Name, `"' `)); len([]rune(n)) >= 3 && strings.Contains(h, n) {
			return true
		}
	}
	return false
}

// headerDate is a date read in a quoted header, time of day when given.
type headerDate struct {
	day     time.Time // midnight UTC of the calendar day
	minutes int       // minutes since midnight, -1 when not given
}

func (d headerDate) matches(t time.Time) bool {
	md := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	diff := d.day.Sub(md)
	if diff < -24*time.Hour || diff > 24*time.Hour {
		return false
	}
	if d.minutes < 0 {
		return true
	}
	delta := int(diff/time.Minute) + d.minutes - (t.Hour()*60 + t.Minute())
	if delta < 0 {
		delta = -delta
	}
	return delta <= 14*60 && delta%15 == 0
}

var (
	numDateRE = regexp.MustCompile(`\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b`)
	isoDateRE = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	dmyRE     = regexp.MustCompile(`\b(\d{1,2})(?:er)?\.?\s+([a-zéû]{3,9})\.?,?\s+(\d{4})\b`)
	mdyRE     = regexp.MustCompile(`\b([a-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b`)
	timeRE    = regexp.MustCompile(`\b(\d{1,2})\s*[:h]\s*(\d{2})(?:\s*([ap])\.?m\b)?`)
)

// headerDates reads the dates a lower-case header mentions; numeric dates
// are tried day first, then month first.
func headerDates(h string) []headerDate {
	minutes := -1
	if m := timeRE.FindStringSubmatch(h); m != nil {
		hh, _ := strconv.Atoi(m[1])
		mm, _ := strconv.Atoi(m[2])
		if m[3] == "p" && hh < 12 {
			hh += 12
		}
		if m[3] == "a" && hh == 12 {
			hh = 0
		}
		if hh < 24 && mm < 60 {
			minutes = hh*60 + mm
		}
	}
	var out []headerDate
	add := func(y, mo, d int) {
		if y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 {
			return
		}
		out = append(out, headerDate{day: time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC), minutes: minutes})
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	for _, m := range numDateRE.FindAllStringSubmatch(h, 4) {
		add(atoi(m[3]), atoi(m[2]), atoi(m[1]))
		add(atoi(m[3]), atoi(m[1]), atoi(m[2]))
	}
	for _, m := range isoDateRE.FindAllStringSubmatch(h, 4) {
		add(atoi(m[1]), atoi(m[2]), atoi(m[3]))
	}
	for _, m := range dmyRE.FindAllStringSubmatch(h, 4) {
		if mo, ok := calendar.Month(m[2]); ok {
			add(atoi(m[3]), int(mo), atoi(m[1]))
		}
	}
	for _, m := range mdyRE.FindAllStringSubmatch(h, 4) {
		if mo, ok := calendar.Month(m[1]); ok {
			add(atoi(m[3]), int(mo), atoi(m[2]))
		}
	}
	return out
}

// citedHeader is what the prompt keeps of a cited message's header: who
// wrote it and when.
func citedHeader(header []string) []string {
	var out []string
	for _, l := range header {
		lower := strings.ToLower(l)
		if strings.HasSuffix(strings.TrimRight(lower, " :"), "écrit") || strings.HasSuffix(strings.TrimRight(lower, " :"), "wrote") {
			out = append(out, l)
			continue
		}
		i := strings.IndexByte(lower, ':')
		if i <= 0 {
			continue
		}
		switch strings.TrimSpace(lower[:i]) {
		case "de", "from", "envoyé", "sent", "date":
			out = append(out, l)
		}
	}
	return out
}
