package mail

import "strings"

// split is Split with a hint that the message's subject announces a forward
// (TR:, Fwd:), so a reply-like header block introduces forwarded content.
func split(text string, forwardHint bool) (newText, quoted, signature string, fwd *Forward) {
	ls := toLines(text)
	c := findCut(ls, forwardHint)
	head := ls
	if c.kind != cutNone {
		head = ls[:c.at]
	}
	var newLines, quotedLines []string
	for _, l := range head {
		if l.level > 0 || l.attr {
			if l.attr {
				quotedLines = append(quotedLines, l.raw)
			} else {
				quotedLines = append(quotedLines, l.unq)
			}
			continue
		}
		newLines = append(newLines, l.raw)
	}
	body, sig := splitSignature(newLines)
	var content []string
	switch c.kind {
	case cutQuote:
		for _, l := range ls[c.at:] {
			quotedLines = append(quotedLines, l.unq)
		}
	case cutForward:
		rest := ls[c.at+c.skip:]
		if j := nextNonBlank(rest, 0); j >= 0 && rest[j].level > 0 {
			c.unquote = true
		}
		lines := make([]string, 0, len(rest))
		for _, l := range rest {
			if c.unquote {
				lines = append(lines, l.unq)
			} else {
				lines = append(lines, l.raw)
			}
		}
		fwd, content = forwardHeader(lines)
	}
	newText = joinLines(body)
	if len(content) > 0 {
		if f := joinLines(content); f != "" {
			if newText != "" {
				newText += "\n\n"
			}
			newText += f
		}
	}
	return newText, joinLines(quotedLines), joinLines(sig), fwd
}

// forwardHeader reads the header lines that open forwarded content and
// returns them as a Forward, with the content after them.
func forwardHeader(lines []string) (*Forward, []string) {
	f := &Forward{}
	i := 0
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	n := 0
	for ; i < len(lines); i++ {
		s := strings.TrimSpace(lines[i])
		if s == "" {
			if n > 0 {
				break
			}
			continue
		}
		label, value := headerLabel(s)
		if label == "" {
			if n > 0 && n < 8 && i+1 < len(lines) && isHeaderContinuation(lines, i) {
				continue
			}
			break
		}
		n++
		switch label {
		case "from":
			if f.From == "" {
				f.From = value
			}
		case "date":
			if f.Date == "" {
				f.Date = value
			}
		case "subject":
			if f.Subject == "" {
				f.Subject = value
			}
		}
	}
	if n == 0 {
		i = 0
	}
	return f, lines[i:]
}

// isHeaderContinuation reports a wrapped header value: the next line is a
// header line again.
func isHeaderContinuation(lines []string, i int) bool {
	l, _ := headerLabel(strings.TrimSpace(lines[i+1]))
	return l != ""
}

// joinLines joins lines, trimming blank lines at both ends and collapsing
// runs of blank lines to one.
func joinLines(lines []string) string {
	var b strings.Builder
	blank := 0
	started := false
	for _, l := range lines {
		if strings.TrimSpace(l) == "" || l == ">" {
			if started {
				blank++
			}
			continue
		}
		if started {
			b.WriteByte('\n')
			if blank > 0 {
				b.WriteByte('\n')
			}
		}
		blank = 0
		started = true
		b.WriteString(l)
	}
	return b.String()
}
