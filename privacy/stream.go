package privacy

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// maxPlaceholder bounds how much text a StreamRestorer holds back waiting
// for the end of a possible placeholder.
const maxPlaceholder = 64

// StreamRestorer restores placeholders in an answer that arrives in pieces
// (streamed tokens), where one placeholder may be split across pieces. It
// holds back only a possible unfinished placeholder — an open "[" or a
// trailing word — and emits everything else at once.
type StreamRestorer struct {
	s    *Session
	emit func(string)
	mu   sync.Mutex
	buf  strings.Builder
}

// RestoreStream returns a StreamRestorer that passes restored text to emit.
func (s *Session) RestoreStream(emit func(string)) *StreamRestorer {
	return &StreamRestorer{s: s, emit: emit}
}

// Write adds a chunk of the answer and emits what can be restored safely.
func (r *StreamRestorer) Write(chunk string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.buf.WriteString(chunk)
	text := r.buf.String()
	cut := safeCut(text)
	if cut == 0 {
		return
	}
	r.buf.Reset()
	r.buf.WriteString(text[cut:])
	if out := r.s.Restore(text[:cut]); out != "" {
		r.emit(out)
	}
}

// Flush emits whatever is held back. Call it when the stream ends.
func (r *StreamRestorer) Flush() {
	r.mu.Lock()
	defer r.mu.Unlock()
	text := r.buf.String()
	r.buf.Reset()
	if text != "" {
		r.emit(r.s.Restore(text))
	}
}

// safeCut returns how much of text can be restored now: up to an
// unclosed "[" near the end, or up to a trailing run of word characters
// that could be the start of a bare placeholder ("PERSONNE_1").
func safeCut(text string) int {
	cut := len(text)
	if i := strings.LastIndexByte(text, '['); i >= 0 && !strings.ContainsRune(text[i:], ']') && len(text)-i <= maxPlaceholder {
		cut = i
	}
	// Trailing word: letters, digits, "_" (and "-", spaces inside "[…]" are
	// covered above).
	j := cut
	for j > 0 && cut-j <= maxPlaceholder {
		r, n := utf8.DecodeLastRuneInString(text[:j])
		if r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		j -= n
	}
	if cut-j <= maxPlaceholder {
		cut = j
	}
	return cut
}

// Stream is RestoreStream as two functions — write each chunk, flush at
// the end — the shape of assist's Filter seam.
func (s *Session) Stream(emit func(string)) (write func(string), flush func()) {
	r := s.RestoreStream(emit)
	return r.Write, r.Flush
}
