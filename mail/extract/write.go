package extract

import (
	"strings"
	"unicode"
)

// writer assembles extracted text block by block, keeping structure as
// light Markdown: "# " headings, "- " list items, "| a | b |" table rows.
type writer struct {
	sb strings.Builder
	b  *budget
}

// para writes one paragraph followed by a blank line; empty ones are dropped.
func (w *writer) para(s string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	w.sb.WriteString(s)
	w.sb.WriteString("\n\n")
}

// heading writes a heading of level 1–6.
func (w *writer) heading(level int, s string) {
	s = oneLine(s)
	if s == "" {
		return
	}
	level = max(1, min(level, 6))
	w.sb.WriteString(strings.Repeat("#", level))
	w.sb.WriteByte(' ')
	w.sb.WriteString(s)
	w.sb.WriteString("\n\n")
}

// item writes one list item at the given level (0 = top), numbered when n > 0.
func (w *writer) item(level, n int, s string) {
	label := ""
	if n > 0 {
		label = itoa(n) + "."
	}
	w.numbered(level, label, s)
}

// numbered writes one list item at the given level with its label as
// the document shows it ("1.", "a)", "iv."), or "- " when label is empty.
func (w *writer) numbered(level int, label, s string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	w.sb.WriteString(strings.Repeat("  ", max(0, min(level, 8))))
	if label == "" {
		label = "-"
	}
	w.sb.WriteString(label)
	w.sb.WriteByte(' ')
	w.sb.WriteString(strings.ReplaceAll(s, "\n", " "))
	w.sb.WriteByte('\n')
}

// endList closes a list with a blank line.
func (w *writer) endList() { w.sb.WriteByte('\n') }

// table writes rows as "| a | b |" lines, trimming empty trailing cells.
func (w *writer) table(rows [][]string) {
	wrote := false
	for _, r := range rows {
		end := len(r)
		for end > 0 && strings.TrimSpace(r[end-1]) == "" {
			end--
		}
		if end == 0 {
			continue
		}
		w.sb.WriteString("|")
		for _, c := range r[:end] {
			w.sb.WriteByte(' ')
			w.sb.WriteString(strings.ReplaceAll(oneLine(c), "|", "/"))
			w.sb.WriteString(" |")
		}
		w.sb.WriteByte('\n')
		wrote = true
	}
	if wrote {
		w.sb.WriteByte('\n')
	}
}

// raw writes s as is.
func (w *writer) raw(s string) { w.sb.WriteString(s) }

func (w *writer) String() string { return w.sb.String() }

// oneLine collapses white space, newlines included.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}

// tidy trims trailing spaces, drops control characters and keeps at most
// one blank line in a row.
func tidy(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r' || r == '\f' || r == '\v' || r == '\u00a0' || r == '\u202f':
			return ' '
		case r == '\ufffd' || r == '\ufeff' || r == '\u00ad' || unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	lines := strings.Split(s, "\n")
	var out strings.Builder
	blank := 0
	for _, l := range lines {
		l = strings.TrimRightFunc(l, unicode.IsSpace)
		if l == "" {
			blank++
			continue
		}
		if out.Len() > 0 {
			if blank > 0 {
				out.WriteString("\n\n")
			} else {
				out.WriteByte('\n')
			}
		}
		blank = 0
		out.WriteString(l)
	}
	return out.String()
}
