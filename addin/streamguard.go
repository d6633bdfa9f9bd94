package addin

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/plume-admin/plume/privacy"
)

// streamGuard applies the output guard to streamed text. It cuts the
// stream only at whitespace that cannot lie inside a URL, an address or a
// phone number (no digit, "+" or bracket on either side), once a line ends
// or minPiece bytes are held, guards each piece with the same guard as
// the final answer, and emits it.
type streamGuard struct {
	guard   *privacy.Guard
	emit    func(string)
	buf     strings.Builder
	removed int
}

func newStreamGuard(guard *privacy.Guard, emit func(string)) *streamGuard {
	return &streamGuard{guard: guard, emit: emit}
}

// minPiece is the least text guarded at once: pieces are a line or a few
// sentences, not single tokens, so that an item is rarely cut by a piece.
const minPiece = 240

// write adds restored text and emits what can safely be guarded now.
func (g *streamGuard) write(text string) {
	g.buf.WriteString(text)
	if g.buf.Len() < minPiece && !strings.Contains(text, "\n") {
		return
	}
	s := g.buf.String()
	cut := safeCut(s)
	if cut <= 0 {
		return
	}
	g.out(s[:cut])
	rest := s[cut:]
	g.buf.Reset()
	g.buf.WriteString(rest)
}

// flush guards and emits what is left.
func (g *streamGuard) flush() {
	if g.buf.Len() > 0 {
		g.out(g.buf.String())
		g.buf.Reset()
	}
}

func (g *streamGuard) out(piece string) {
	guarded, rep := g.guard.Apply(piece)
	g.removed += rep.Removed
	if guarded != "" {
		g.emit(guarded)
	}
}

// safeCut returns the index just after the last whitespace of s that has a
// non-number character on both sides, or 0.
func safeCut(s string) int {
	for i := len(s); i > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
		if !unicode.IsSpace(r) || i == 0 {
			continue
		}
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[i+size:])
		if i+size >= len(s) || numberish(before) || numberish(after) {
			continue
		}
		return i + size
	}
	return 0
}

func numberish(r rune) bool {
	return unicode.IsDigit(r) || strings.ContainsRune("+()-.", r) || unicode.IsSpace(r)
}
