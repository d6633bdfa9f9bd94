package assist

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// paragraphs splits text on blank lines; lines inside a paragraph are kept.
func paragraphs(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, "\n"))
			cur = nil
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		cur = append(cur, strings.TrimRight(line, " \t"))
	}
	flush()
	return out
}

// unquote removes leading quote markers ("> ", "> > ") from every line.
func unquote(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		for strings.HasPrefix(t, ">") {
			t = strings.TrimLeft(t[1:], " ")
		}
		lines[i] = t
	}
	return strings.Join(lines, "\n")
}

// abbreviations are words whose final period does not end a sentence.
var abbreviations = map[string]bool{
	"m": true, "mm": true, "mme": true, "mmes": true, "mlle": true, "dr": true, "pr": true, "me": true,
	"art": true, "n": true, "no": true, "cf": true, "p": true, "ex": true, "etc": true, "av": true,
	"bd": true, "st": true, "ste": true, "mr": true, "mrs": true, "ms": true, "vs": true, "al": true,
	"réf": true, "ref": true, "tél": true, "tel": true, "e.g": true, "i.e": true,
}

// sentences splits a text into sentences; line breaks before list items and
// blank lines also end a sentence.
func sentences(text string) []string {
	var out []string
	for _, para := range paragraphs(text) {
		lines := strings.Split(para, "\n")
		var buf strings.Builder
		emit := func() {
			if s := strings.TrimSpace(buf.String()); s != "" {
				out = append(out, s)
			}
			buf.Reset()
		}
		for li, line := range lines {
			line = strings.TrimSpace(line)
			if li > 0 && (isListItem(line) || endsSentence(buf.String())) {
				emit()
			}
			if buf.Len() > 0 {
				buf.WriteByte(' ')
			}
			// split inside the line
			start := 0
			for i, r := range line {
				if i < start || (r != '.' && r != '!' && r != '?' && r != '…') {
					continue
				}
				j := i + utf8.RuneLen(r)
				for j < len(line) {
					c, size := utf8.DecodeRuneInString(line[j:])
					if !strings.ContainsRune(".!?…»\")", c) {
						break
					}
					j += size
				}
				if j >= len(line) || line[j] != ' ' {
					continue
				}
				next, _ := utf8.DecodeRuneInString(strings.TrimLeft(line[j:], " "))
				if !(unicode.IsUpper(next) || unicode.IsDigit(next) || next == '«' || next == '"' || next == '-') {
					continue
				}
				if r == '.' && isAbbrev(line[start:i]) {
					continue
				}
				buf.WriteString(line[start:j])
				emit()
				start = j + 1
			}
			if start < len(line) {
				buf.WriteString(line[start:])
			}
		}
		emit()
	}
	return out
}

func endsSentence(s string) bool {
	s = strings.TrimRight(s, " »\")")
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") ||
		strings.HasSuffix(s, ":") || strings.HasSuffix(s, "…")
}

func isListItem(line string) bool {
	if line == "" {
		return false
	}
	if strings.HasPrefix(line, "- ") || strings.HasPrefix(line, "* ") || strings.HasPrefix(line, "• ") ||
		strings.HasPrefix(line, "– ") || strings.HasPrefix(line, "|") || strings.HasPrefix(line, "#") {
		return true
	}
	i := 0
	for i < len(line) && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	return i > 0 && i < len(line) && (line[i] == '.' || line[i] == ')')
}

func isAbbrev(before string) bool {
	f := strings.Fields(before)
	if len(f) == 0 {
		return false
	}
	w := strings.ToLower(strings.TrimLeft(f[len(f)-1], "(«\""))
	if abbreviations[w] {
		return true
	}
	// single capital letter initials: "J. Dupont"
	return utf8.RuneCountInString(w) == 1
}

// normSentence is the comparison form of a sentence: lower case, single
// spaces, no quote markers, no surrounding punctuation.
func normSentence(s string) string {
	s = strings.ToLower(unquote(s))
	s = strings.Join(strings.Fields(s), " ")
	return strings.Trim(s, " .,;:!?…-–*•")
}

// htmlFromText renders plain text as simple HTML paragraphs.
func htmlFromText(text string) string {
	var sb strings.Builder
	for _, p := range paragraphs(text) {
		sb.WriteString("<p>")
		lines := strings.Split(p, "\n")
		for i, l := range lines {
			if i > 0 {
				sb.WriteString("<br>")
			}
			sb.WriteString(escapeHTML(l))
		}
		sb.WriteString("</p>\n")
	}
	return sb.String()
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

func escapeHTML(s string) string { return htmlEscaper.Replace(s) }

// firstSentences returns the first n sentences of text.
func firstSentences(text string, n int) string {
	s := sentences(text)
	if len(s) <= n {
		return strings.Join(s, " ")
	}
	return strings.Join(s[:n], " ") + " […]"
}
