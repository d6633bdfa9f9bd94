package assist

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/plume-admin/plume/internal/calendar"
	"github.com/plume-admin/plume/mail"
)

// A prompt is assembled from the thread in three steps:
//
//  1. each message contributes what it adds (New) with its sender and date;
//     quoted history and signatures are left out, paragraphs whose every
//     sentence already appeared earlier in the thread are dropped (forwarded
//     content kept once, quotes a splitter missed); quoted history is read
//     message by message (history.go): a quoted message whose header names
//     a message of the thread (sender and date) is left out whole, and the
//     quoted paragraphs found nowhere else in the thread, signatures and
//     header fields left out, are kept once as cited history;
//  2. every message sits in its own block delimited by a per-request random
//     boundary, and text resembling the delimiters is neutralised;
//  3. when the blocks exceed the budget, the newest are kept whole and the
//     oldest are shortened to their first sentences or left out; Cut says so.

// minDedupRunes is the length under which a paragraph of New text is kept
// even when it repeats earlier text ("Bonjour,", "D'accord.").
const minDedupRunes = 40

// compressSentences is how many sentences a shortened message keeps.
const compressSentences = 2

// quoteHeaderRE matches the header lines mail clients put above quoted or
// forwarded history (Outlook, Thunderbird, Gmail, in French and English).
var quoteHeaderRE = regexp.MustCompile(`(?i)^(de|from|envoyé|sent|date|à|to|cc|objet|subject|importance)\s*:|` +
	`^-+\s*(message d'origine|original message|message transféré|forwarded message)|` +
	`^(le|on)\s.{4,120}(a écrit|wrote)\s*:$`)

// dataBlock is one message ready for the prompt.
type dataBlock struct {
	idx       int // 1-based position in the thread
	attrs     string
	body      string
	own       []string // paragraphs of the message's own text, in body
	cited     []string // paragraphs of cited history, in body, headers left out
	short     string   // shortened body, "" when not shorter
	who, when string
}

// assembled is the data part of a prompt and what was cut to fit.
type assembled struct {
	data   string // with the request's boundary
	keyed  string // with a fixed boundary, for cache keys
	cut    []string
	tokens int
}

// newBoundary draws a random boundary for one request.
func newBoundary(r io.Reader) string {
	var b [8]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		// A fixed but content-derived boundary is still unpredictable to a
		// sender who cannot see the whole thread.
		return "b" + hex.EncodeToString(sha256.New().Sum(nil)[:8])
	}
	return hex.EncodeToString(b[:])
}

// neutralise defuses text that imitates the delimiters of data blocks.
var delimRE = regexp.MustCompile(`(?i)<\s*/?\s*(donnees|données|data)\s*-`)

func neutralise(s, boundary string) string {
	if boundary != "" {
		s = strings.ReplaceAll(s, boundary, "[…]")
	}
	return delimRE.ReplaceAllStringFunc(s, func(m string) string {
		return strings.Replace(m, "<", "‹", 1)
	})
}

// threadBlocks turns a thread into deduplicated message blocks.
func threadBlocks(t *mail.Thread, lang string) []dataBlock {
	seen := map[string]bool{}
	// Everything any message says as new text counts as seen for quotes.
	allNew := map[string]bool{}
	// Signatures, as quoted history repeats them.
	sigs := map[string]bool{}
	for _, m := range t.Messages {
		mark(contentSentences(newText(m)), allNew)
		mark(signatureLines(m.Signature), sigs)
	}
	var blocks []dataBlock
	for i, m := range t.Messages {
		paras := paragraphs(newText(m))
		kept := make([]bool, len(paras))
		for j, p := range paras {
			if isQuoteHeader(p) {
				continue // decided below, with what follows it
			}
			ss := contentSentences(p)
			if len([]rune(p)) >= minDedupRunes && allSeen(ss, seen) {
				continue
			}
			kept[j] = true
			mark(ss, seen)
		}
		var keep []string
		for j, p := range paras {
			if isQuoteHeader(p) {
				// A quote or forward header is worth keeping only above kept text.
				for k := j + 1; k < len(paras); k++ {
					if !isQuoteHeader(paras[k]) {
						kept[j] = kept[k]
						break
					}
				}
			}
			if kept[j] {
				keep = append(keep, p)
			}
		}
		// Quoted history found nowhere else: an earlier message missing
		// from the thread. Keep it once, with who wrote it and when.
		var cited, citedText []string
		for _, sec := range quotedSections(m.Quoted) {
			if namesThreadMessage(sec.header, t) {
				continue // that message is in the thread
			}
			var ps []string
			for _, p := range sec.paras {
				if isQuoteHeader(p) {
					continue
				}
				ss := contentSentences(p)
				if allSeen(ss, seen) || allSeen(ss, allNew) || allSeen(ss, sigs) {
					continue
				}
				ps = append(ps, p)
				mark(ss, seen)
			}
			if len(ps) > 0 {
				if h := citedHeader(sec.header); len(h) > 0 {
					cited = append(cited, strings.Join(h, "\n"))
				}
				cited = append(cited, ps...)
				citedText = append(citedText, ps...)
			}
		}
		body := strings.Join(keep, "\n\n")
		if len(cited) > 0 {
			label := "[Historique cité, absent du fil :]"
			if lang == "en" {
				label = "[Quoted history, not in the thread:]"
			}
			body = strings.TrimSpace(body + "\n\n" + label + "\n" + strings.Join(cited, "\n\n"))
		}
		if m.Forwarded != nil && body != "" {
			label := "[Contenu transféré"
			if lang == "en" {
				label = "[Forwarded content"
			}
			if m.Forwarded.From != "" {
				label += " — " + m.Forwarded.From
			}
			body = label + "]\n" + body
		}
		b := dataBlock{idx: i + 1, body: body, own: keep, cited: citedText, who: sender(m), when: dateString(m, lang)}
		if sh := firstSentences(body, compressSentences); len(sh) < len(body) {
			b.short = sh
		}
		b.attrs = blockAttrs(t, i, lang)
		blocks = append(blocks, b)
	}
	return blocks
}

// newText is what a message adds; the whole text when the source did not split it.
func newText(m *mail.Message) string {
	if strings.TrimSpace(m.New) != "" || m.Quoted != "" || m.Signature != "" {
		return m.New
	}
	return m.Text
}

func allSeen(ss []string, seen map[string]bool) bool {
	if len(ss) == 0 {
		return true
	}
	for _, s := range ss {
		if n := normSentence(s); n != "" && !seen[n] {
			return false
		}
	}
	return true
}

func mark(ss []string, seen map[string]bool) {
	for _, s := range ss {
		if n := normSentence(s); n != "" {
			seen[n] = true
		}
	}
}

// contentSentences are the sentences of p without quote markers and
// without the header lines of quoted history.
func contentSentences(p string) []string {
	lines := strings.Split(unquote(p), "\n")
	keep := lines[:0]
	for _, l := range lines {
		if !isHeaderLine(l) {
			keep = append(keep, l)
		}
	}
	return sentences(strings.Join(keep, "\n"))
}

// isQuoteHeader reports whether every line of p is a quote header line or a rule.
func isQuoteHeader(p string) bool {
	for _, l := range strings.Split(p, "\n") {
		if !isHeaderLine(l) {
			return false
		}
	}
	return true
}

// isHeaderLine reports whether l is a header line of quoted history or a separator rule.
func isHeaderLine(l string) bool {
	l = strings.TrimSpace(l)
	return quoteHeaderRE.MatchString(l) || isRule(l)
}

// signatureLines are the lines of a signature, each a sentence of its own.
func signatureLines(sig string) []string {
	var out []string
	for _, l := range strings.Split(sig, "\n") {
		if l = strings.TrimSpace(strings.TrimLeft(l, "-– ")); l != "" {
			out = append(out, l)
			out = append(out, sentences(l)...)
		}
	}
	return out
}

func sender(m *mail.Message) string {
	if len(m.From) == 0 {
		return "?"
	}
	return m.From[0].String()
}

func dateString(m *mail.Message, lang string) string {
	if m.Date.IsZero() {
		return m.RawDate
	}
	d := m.Date
	if lang == "en" {
		return d.Format("Monday 2006-01-02 15:04")
	}
	return calendar.FrenchWeekday(d.Weekday()) + " " + d.Format("2006-01-02 15:04")
}

func addrList(as []mail.Address) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = a.String()
	}
	return strings.Join(parts, ", ")
}

// blockAttrs is the attribute list of message i: sender, date, subject when
// it changes, recipients for the first and the latest message.
func blockAttrs(t *mail.Thread, i int, lang string) string {
	m := t.Messages[i]
	fr := lang != "en"
	var sb strings.Builder
	kv := func(kfr, ken, v string) {
		if v == "" {
			return
		}
		k := ken
		if fr {
			k = kfr
		}
		fmt.Fprintf(&sb, " %s=%q", k, v)
	}
	kv("n", "n", fmt.Sprintf("%d/%d", i+1, len(t.Messages)))
	kv("de", "from", sender(m))
	kv("date", "date", dateString(m, lang))
	if i == 0 || m.NormSubject != t.Messages[i-1].NormSubject && m.NormSubject != "" {
		kv("objet", "subject", m.Subject)
	}
	if i == 0 || i == len(t.Messages)-1 {
		kv("a", "to", addrList(m.To))
		kv("cc", "cc", addrList(m.Cc))
	}
	if n := len(m.Attachments); n > 0 {
		names := make([]string, 0, n)
		for _, a := range m.Attachments {
			if !a.Inline {
				names = append(names, a.Name)
			}
		}
		kv("pieces_jointes", "attachments", strings.Join(names, ", "))
	}
	return sb.String()
}

func renderBlock(tag, boundary, attrs, body string) string {
	return "<" + tag + "-" + boundary + attrs + ">\n" + neutralise(body, boundary) + "\n</" + tag + "-" + boundary + ">\n"
}

// assembleThread fits the thread's blocks into budget tokens.
func assembleThread(t *mail.Thread, lang, boundary string, budget int) assembled {
	blocks := threadBlocks(t, lang)
	tag := dataTag(lang)
	n := len(blocks)
	chosen := make([]string, n)
	keyed := make([]string, n)
	var cut []string
	used := 0
	var dropped []int
	shrinking := false
	for i := n - 1; i >= 0; i-- {
		b := blocks[i]
		whole := renderBlock(tag, boundary, b.attrs, b.body)
		wt := CountTokens(whole)
		if !shrinking && used+wt <= budget {
			chosen[i], keyed[i] = whole, renderBlock(tag, "0", b.attrs, b.body)
			used += wt
			continue
		}
		if i == n-1 {
			// The latest message alone is too long: keep its beginning.
			overhead := CountTokens(renderBlock(tag, boundary, b.attrs, ""))
			body := truncateTokens(b.body, budget-overhead-4) + " […]"
			chosen[i], keyed[i] = renderBlock(tag, boundary, b.attrs, body), renderBlock(tag, "0", b.attrs, body)
			used += CountTokens(chosen[i])
			cut = append(cut, fmt.Sprintf("message %d/%d (%s): truncated to fit the context window", b.idx, n, b.who))
			shrinking = true
			continue
		}
		shrinking = true
		if b.short != "" {
			short := renderBlock(tag, boundary, b.attrs, b.short)
			if st := CountTokens(short); used+st <= budget {
				chosen[i], keyed[i] = short, renderBlock(tag, "0", b.attrs, b.short)
				used += st
				cut = append(cut, fmt.Sprintf("message %d/%d (%s, %s): shortened to its first sentences", b.idx, n, b.who, b.when))
				continue
			}
		}
		dropped = append(dropped, b.idx)
	}
	var sb, kb strings.Builder
	if len(dropped) > 0 {
		lo, hi := dropped[len(dropped)-1], dropped[0]
		note := fmt.Sprintf("(%d message(s) plus ancien(s) omis faute de place.)\n", len(dropped))
		if lang == "en" {
			note = fmt.Sprintf("(%d older message(s) left out for lack of room.)\n", len(dropped))
		}
		sb.WriteString(note)
		kb.WriteString(note)
		cut = append(cut, fmt.Sprintf("%d older message(s) left out (between %d and %d of %d)", len(dropped), lo, hi, n))
	}
	if t.Omitted > 0 {
		cut = append(cut, fmt.Sprintf("%d older message(s) left out by the thread size cap", t.Omitted))
	}
	for i := range chosen {
		sb.WriteString(chosen[i])
		kb.WriteString(keyed[i])
	}
	// Newest first was the order of decisions; report oldest first.
	for i, j := 0, len(cut)-1; i < j; i, j = i+1, j-1 {
		cut[i], cut[j] = cut[j], cut[i]
	}
	return assembled{data: sb.String(), keyed: kb.String(), cut: cut, tokens: used}
}

// assembleText wraps a document or free text in one data block.
func assembleText(text, lang, boundary, name string) string {
	attrs := ""
	if name != "" {
		attrs = fmt.Sprintf(" %s=%q", map[bool]string{true: "nom", false: "name"}[lang != "en"], name)
	}
	return renderBlock(dataTag(lang), boundary, attrs, text)
}

// budgetFor is the number of tokens left for data once the fixed parts of
// the prompt and the reserved output are counted, with a 3% margin for
// tokenizer differences.
func budgetFor(window, maxOutput int, fixed ...string) int {
	n := window - maxOutput - window*3/100 - 16
	for _, f := range fixed {
		n -= CountTokens(f)
	}
	if n < 64 {
		n = 64
	}
	return n
}

// sha hashes the parts of a cache key.
func sha(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s;", len(p), p)
	}
	return hex.EncodeToString(h.Sum(nil))
}
