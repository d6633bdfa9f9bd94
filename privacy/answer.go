package privacy

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Mapper is an answer whose text fields can be rewritten one by one.
type Mapper interface {
	MapText(func(string) string)
}

// Finish restores the placeholders of every text field of res and applies
// the request's output guard to them. The fields are guarded together in
// one call, joined by a separator line the guard leaves alone; should the
// separators not survive, each field is guarded on its own.
func (p *Pass) Finish(res Mapper) {
	var texts []string
	res.MapText(func(text string) string {
		text = p.Restore(text)
		texts = append(texts, text)
		return text
	})
	guard := p.outputGuard()
	guarded, rep := guard.Apply(strings.Join(texts, fieldSep))
	parts := strings.Split(guarded, fieldSep)
	if len(parts) != len(texts) {
		parts = parts[:0]
		rep.Removed = 0
		for _, t := range texts {
			g, r := guard.Apply(t)
			parts = append(parts, g)
			rep.Removed += r.Removed
		}
	}
	p.addRemoved(rep.Removed)
	i := 0
	res.MapText(func(string) string {
		i++
		return parts[i-1]
	})
}

// fieldSep separates answer fields guarded together: blank lines around an
// invisible marker that no URL, address or number can span.
const fieldSep = "\n\n\u2063\u2063plume-field\u2063\u2063\n\n"

// Stream returns the writer of a streamed answer: tokens are restored,
// then guarded in pieces with the same guard as the final answer, and the
// pieces passed to emit. write may be called from several goroutines;
// flush emits what is held back once the stream has ended.
func (p *Pass) Stream(emit func(string)) (write func(string), flush func()) {
	sg := &streamGuard{guard: p.outputGuard(), emit: emit}
	var mu sync.Mutex
	restored, restoredFlush := sg.write, func() {}
	if p.session != nil {
		rs := p.session.RestoreStream(sg.write)
		restored, restoredFlush = rs.Write, rs.Flush
	}
	write = func(tok string) {
		mu.Lock()
		defer mu.Unlock()
		restored(tok)
	}
	flush = func() {
		mu.Lock()
		defer mu.Unlock()
		restoredFlush()
		sg.flush()
		p.addRemoved(sg.removed)
		sg.removed = 0
	}
	return write, flush
}

// streamGuard applies the output guard to streamed text. It cuts the
// stream only at whitespace that cannot lie inside a URL, an address or a
// phone number (no digit, "+" or bracket on either side), once a line ends
// or minPiece bytes are held, guards each piece and emits it.
type streamGuard struct {
	guard   *Guard
	emit    func(string)
	buf     strings.Builder
	removed int
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
	cut := guardCut(s)
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

// guardCut returns the index just after the last whitespace of s that has
// a non-number character on both sides, or 0.
func guardCut(s string) int {
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

// Outcome is how a request ended, for its audit line.
type Outcome struct {
	// Endpoint and Model name what answered; "" keeps the pass's endpoint.
	Endpoint, Model string
	// TokensIn and TokensOut count prompt and completion tokens.
	TokensIn, TokensOut int
	// Cached is true when the answer came from the cache.
	Cached bool
	// Code is "ok", "degraded" or a problem code ("refused_marking", "model_timeout", …).
	Code string
}

// Done writes the request's audit line; only the first call counts.
func (p *Pass) Done(o Outcome) {
	p.mu.Lock()
	if p.done {
		p.mu.Unlock()
		return
	}
	p.done = true
	removed := p.removed
	p.mu.Unlock()
	g := p.gate
	if g.opts.Auditor == nil {
		return
	}
	decision := DecisionAllowed
	switch o.Code {
	case "refused_marking":
		decision = DecisionRefused
	case "refused_encrypted":
		decision = DecisionEncrypted
	}
	endpoint := o.Endpoint
	if endpoint == "" {
		endpoint = p.endpoint
	}
	var counts map[string]int
	if p.session != nil {
		counts = p.session.Counts()
	}
	now := g.opts.Now()
	err := g.opts.Auditor.Record(AuditRecord{
		Time: now, User: p.user, RequestID: p.requestID, Task: p.task, Source: p.source,
		Markings: p.labels, Decision: decision, Endpoint: endpoint, Model: o.Model,
		TokensIn: o.TokensIn, TokensOut: o.TokensOut, Pseudonymized: counts,
		HiddenDropped: p.hidden, Injections: p.injections, GuardRemoved: removed, Cached: o.Cached,
		Outcome: o.Code, DurationMS: now.Sub(p.start).Milliseconds(),
	})
	if err != nil {
		g.opts.Logger.Error("audit record not written", "cause", err.Error())
	}
}
