package privacy

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// foldRune returns r in upper case without diacritics ("é" → "E", "œ" → "OE").
// Combining marks fold to nothing.
func foldRune(r rune) string {
	if r < utf8.RuneSelf {
		if 'a' <= r && r <= 'z' {
			r -= 'a' - 'A'
		}
		return string(r)
	}
	switch r {
	case 'œ', 'Œ':
		return "OE"
	case 'æ', 'Æ':
		return "AE"
	case 'ß':
		return "SS"
	case '\u00a0', '\u202f', '\u2007', '\u2009':
		return " "
	case '’', '‘', 'ʼ':
		return "'"
	case '–', '—', '‐', '‑':
		return "-"
	}
	if unicode.Is(unicode.Mn, r) {
		return ""
	}
	var b strings.Builder
	for _, d := range norm.NFD.String(string(r)) {
		if unicode.Is(unicode.Mn, d) {
			continue
		}
		b.WriteRune(unicode.ToUpper(d))
	}
	return b.String()
}

// foldLower is fold(s).s in lower case, without the offsets: the cheap
// form for asking whether a folded word occurs at all.
func foldLower(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
			continue
		}
		b.WriteString(strings.ToLower(foldRune(r)))
	}
	return b.String()
}

// folded is a text folded by foldRune with, for every folded byte, the
// offset of the original rune it came from.
type folded struct {
	s   string
	off []int // len(s)+1 entries; off[len(s)] == len(original)
}

// fold folds s for tolerant matching and keeps the way back to s.
func fold(s string) folded {
	var b strings.Builder
	b.Grow(len(s))
	off := make([]int, 0, len(s)+1)
	for i, r := range s {
		f := foldRune(r)
		b.WriteString(f)
		for range len(f) {
			off = append(off, i)
		}
	}
	off = append(off, len(s))
	return folded{s: b.String(), off: off}
}

// foldString folds s without keeping offsets.
func foldString(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteString(foldRune(r))
	}
	return b.String()
}

// span maps the folded range [i, j) back to the original text.
func (f folded) span(i, j int) (int, int) {
	start := f.off[i]
	end := f.off[j]
	// j may point inside the expansion of one rune ("œ" → "OE"); round up
	// to the end of that rune.
	if j > 0 && j < len(f.off) && f.off[j] == f.off[j-1] {
		for j < len(f.off) && f.off[j] == f.off[j-1] {
			j++
		}
		end = f.off[min(j, len(f.off)-1)]
	}
	return start, end
}

// isWordRune reports whether r is part of a word for boundary checks.
func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// wordBoundary reports whether text[start:end] is not glued to a word
// character on either side.
func wordBoundary(text string, start, end int) bool {
	if start > 0 {
		r, _ := utf8.DecodeLastRuneInString(text[:start])
		if isWordRune(r) {
			return false
		}
	}
	if end < len(text) {
		r, _ := utf8.DecodeRuneInString(text[end:])
		if isWordRune(r) {
			return false
		}
	}
	return true
}

// isLetter reports whether r is a letter.
func isLetter(r rune) bool { return unicode.IsLetter(r) }
