package privacy

import (
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/plume-admin/plume/mail"
)

// Session pseudonymises the texts of one request and restores the answer.
// Placeholders are stable within the session: the same value always gets
// the same placeholder. A Session is safe for concurrent use.
type Session struct {
	p *Pseudonymizer

	mu      sync.Mutex
	names   nameBook
	number  map[string]int    // kind|key → entity number
	next    map[Kind]int      // last number used per kind
	byValue map[string]string // kind|key|role|surface → placeholder slot
	bySlot  map[string]string // placeholder slot ("EMAIL_1_B") → exact original text
	counts  map[Kind]int
	learned map[*mail.Thread]bool
	why     map[string]Replacement // placeholder slot → kind and rule
}

// Session starts a session for one request.
func (p *Pseudonymizer) Session() *Session {
	return &Session{
		p:       p,
		number:  map[string]int{},
		next:    map[Kind]int{},
		byValue: map[string]string{},
		bySlot:  map[string]string{},
		counts:  map[Kind]int{},
		learned: map[*mail.Thread]bool{},
		why:     map[string]Replacement{},
	}
}

// LearnThread learns the names of the people of t: display names of
// From, To, Cc and Reply-To, the first line of signatures, and salutations
// ("Madame Dupont", "Bonjour Marie,"). Thread calls it too.
func (s *Session) LearnThread(t *mail.Thread) {
	if t == nil || !s.p.Enabled(KindName) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.learned[t] {
		return
	}
	s.learned[t] = true
	s.names.learnThread(t)
}

// Text replaces the personal data of text by placeholders. Salutations in
// text teach names too. Restore(Text(x)) == x for every x.
func (s *Session) Text(text string) string {
	if s.p.disabled || text == "" {
		return text
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.text(text)
}

func (s *Session) text(text string) string {
	spans := s.spans(text)
	if len(spans) == 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text) + 16*len(spans))
	last := 0
	for _, sp := range spans {
		b.WriteString(text[last:sp.start])
		b.WriteString(s.placeholder(sp, text[sp.start:sp.end]))
		last = sp.end
	}
	b.WriteString(text[last:])
	return b.String()
}

// spans returns what text() replaces in text, in order, without overlap.
func (s *Session) spans(text string) []span {
	var spans []span
	emit := func(sp span) { spans = append(spans, sp) }
	// Every placeholder has a '[' or a '_': most texts have neither.
	if strings.ContainsAny(text, "[_") {
		for _, loc := range placeholderPattern.FindAllStringIndex(text, -1) {
			emit(span{start: loc[0], end: loc[1], kind: kindLiteral, key: text[loc[0]:loc[1]]})
		}
	}
	for _, d := range detectors {
		if s.p.Enabled(d.kind) {
			d.find(text, emit)
		}
	}
	if s.p.Enabled(KindOrg) {
		for _, o := range s.p.patterns {
			o.find(text, emit)
		}
	}
	if s.p.Enabled(KindName) {
		s.names.learnText(text)
		s.names.find(text, emit)
	}
	if len(spans) == 0 {
		return nil
	}
	return resolve(spans)
}

// placeholder returns the placeholder for one occurrence, creating it when
// needed: [TAG_N] for the entity, [TAG_N_PRENOM] / [TAG_N_NOM] for part of a
// name, and a letter suffix ([TAG_N_B]) when the same entity is written
// differently, so that restoration gives back exactly what was written.
func (s *Session) placeholder(sp span, surface string) string {
	vk := string(sp.kind) + "|" + sp.key + "|" + sp.role + "|" + surface
	if slot, ok := s.byValue[vk]; ok {
		return "[" + slot + "]"
	}
	ek := string(sp.kind) + "|" + sp.key
	n, ok := s.number[ek]
	if !ok {
		s.next[sp.kind]++
		n = s.next[sp.kind]
		s.number[ek] = n
		if sp.kind != kindLiteral {
			s.counts[sp.kind]++
		}
	}
	base := kindTag[sp.kind] + "_" + strconv.Itoa(n)
	if sp.role != "" {
		base += "_" + sp.role
	}
	slot := base
	for v := 'B'; ; v++ {
		if _, taken := s.bySlot[slot]; !taken {
			break
		}
		if v > 'Z' {
			// Out of letters: a fresh number keeps restoration exact.
			s.next[sp.kind]++
			slot = kindTag[sp.kind] + "_" + strconv.Itoa(s.next[sp.kind])
			continue
		}
		slot = base + "_" + string(v)
	}
	s.byValue[vk] = slot
	s.bySlot[slot] = surface
	s.explain(slot, sp)
	return "[" + slot + "]"
}

// Thread returns a deep copy of t with every text field pseudonymised:
// subject, headers, body parts, display names and addresses, attachment
// names, forward headers and thread notes. Message identifiers are copied
// as they are. It learns the thread's names first.
func (s *Session) Thread(t *mail.Thread) *mail.Thread {
	if t == nil {
		return nil
	}
	s.LearnThread(t)
	s.mu.Lock()
	defer s.mu.Unlock()
	tx := func(x string) string {
		if s.p.disabled || x == "" {
			return x
		}
		return s.text(x)
	}
	out := &mail.Thread{Omitted: t.Omitted}
	for _, n := range t.Notes {
		out.Notes = append(out.Notes, tx(n))
	}
	for _, m := range t.Messages {
		if m == nil {
			out.Messages = append(out.Messages, nil)
			continue
		}
		c := *m
		c.InReplyTo = append([]string(nil), m.InReplyTo...)
		c.References = append([]string(nil), m.References...)
		addrs := func(in []mail.Address) []mail.Address {
			if in == nil {
				return nil
			}
			o := make([]mail.Address, len(in))
			for i, a := range in {
				o[i] = mail.Address{Name: tx(a.Name), Address: tx(a.Address)}
			}
			return o
		}
		c.From, c.To, c.Cc, c.ReplyTo = addrs(m.From), addrs(m.To), addrs(m.Cc), addrs(m.ReplyTo)
		c.Subject, c.NormSubject = tx(m.Subject), tx(m.NormSubject)
		if m.Headers != nil {
			c.Headers = make(map[string]string, len(m.Headers))
			for k, v := range m.Headers {
				c.Headers[k] = tx(v)
			}
		}
		c.Text, c.New, c.Quoted, c.Signature = tx(m.Text), tx(m.New), tx(m.Quoted), tx(m.Signature)
		if m.Forwarded != nil {
			f := *m.Forwarded
			f.From, f.Subject = tx(f.From), tx(f.Subject)
			c.Forwarded = &f
		}
		c.Attachments = append([]mail.Attachment(nil), m.Attachments...)
		for i := range c.Attachments {
			c.Attachments[i].Name = tx(c.Attachments[i].Name)
		}
		c.Cleaning.Warnings = append([]string(nil), m.Cleaning.Warnings...)
		out.Messages = append(out.Messages, &c)
	}
	return out
}

// Counts returns how many distinct items of each kind were replaced so
// far (the same e-mail address written three times counts once), keyed by
// Kind name.
func (s *Session) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		out[string(k)] = v
	}
	return out
}

// Placeholders returns the placeholder → original table, for tests and
// `plume redact --json`. It holds personal data: never log it.
func (s *Session) Placeholders() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]string, len(s.bySlot))
	for k, v := range s.bySlot {
		out["["+k+"]"] = v
	}
	return out
}

// placeholderTags are the words a placeholder may start with, including
// spellings a model may produce ("TÉLÉPHONE").
const placeholderTags = `PERSONNE|EMAIL|E-MAIL|COURRIEL|T[ÉE]L[ÉE]PHONE|IBAN|NIR|SIRET|SIREN|CARTE|ADRESSE|[ÉE]TRANGER|PASSEPORT|CNI|FISCAL|PLAQUE|NAISSANCE|CAF|IDENTIFIANT|TEXTE`

// placeholderPattern finds placeholders as written by Text, and the
// variants a model may write: other case, spaces instead of underscores,
// "PRÉNOM", or without brackets ("PERSONNE_1").
var placeholderPattern = regexp.MustCompile(placeholderBracketed + `|\b` + placeholderBare)

// The two forms of a placeholder: in brackets, and bare (word boundaries
// around it).
const (
	placeholderBracketed = `(?i)\[[ \t]{0,3}(` + placeholderTags + `)[ _\-]?(\d{1,5})((?:[ _\-](?:PR[ÉE]NOM|NOM|[A-Z])){0,3})[ \t]{0,3}\]`
	placeholderBare      = `(` + placeholderTags + `)_(\d{1,5})((?:_(?:PR[ÉE]NOM|NOM|[A-Z])){0,3})\b`
)

// slotOf turns a placeholder match into its canonical slot ("PERSONNE_1_NOM").
func slotOf(m []string) string {
	tag, num, suffix := m[1], m[2], m[3]
	if tag == "" {
		tag, num, suffix = m[4], m[5], m[6]
	}
	tag = strings.ReplaceAll(foldString(tag), "-", "")
	switch tag {
	case "COURRIEL":
		tag = "EMAIL"
	}
	n, _ := strconv.Atoi(num)
	slot := tag + "_" + strconv.Itoa(n)
	for _, part := range strings.FieldsFunc(foldString(suffix), func(r rune) bool { return r == ' ' || r == '_' || r == '-' }) {
		slot += "_" + part
	}
	return slot
}

// Restore puts the original text back in place of the placeholders of an
// answer. A placeholder the session does not know (invented by the model,
// or mangled beyond recognition) becomes "[donnée masquée]".
func (s *Session) Restore(text string) string {
	if s.p.disabled {
		return text
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.restore(text)
}

func (s *Session) restore(text string) string {
	var b strings.Builder
	last := 0
	for _, start := range placeholderStarts(text) {
		if start < last {
			continue // inside the placeholder just replaced
		}
		end := min(len(text), start+maxPlaceholderLen)
		loc := placeholderAnchored.FindStringSubmatchIndex(text[start:end])
		if loc == nil || !bareBoundary(text, start, start+loc[1], loc) {
			continue
		}
		m := make([]string, 7)
		for i := 1; i < 7; i++ {
			if loc[2*i] >= 0 {
				m[i] = text[start+loc[2*i] : start+loc[2*i+1]]
			}
		}
		v, ok := s.bySlot[slotOf(m)]
		if !ok {
			v = Masked
		}
		b.WriteString(text[last:start])
		b.WriteString(v)
		last = start + loc[1]
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// maxPlaceholderLen bounds a placeholder as a model may write it.
const maxPlaceholderLen = 96

// placeholderAnchored is placeholderPattern matched at a given start; the
// bare form's leading boundary is checked by bareBoundary, which sees the
// byte before the start.
var placeholderAnchored = regexp.MustCompile(`^(?:` + placeholderBracketed + `|` + placeholderBare + `)`)

// placeholderStarts lists where a placeholder may start, in order: at a
// '[', or at the first letter of the word before a '_'. Restoring looks
// only there instead of trying the pattern at every byte.
func placeholderStarts(text string) []int {
	var out []int
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '[':
			out = append(out, i)
		case '_':
			// A tag is a few letters (and a hyphen) before the '_': every
			// rune start of the run before it may begin one.
			for j := i; j > 0 && i-j < maxTagLen; {
				r, size := utf8.DecodeLastRuneInString(text[:j])
				if !unicode.IsLetter(r) && r != '-' {
					break
				}
				j -= size
				out = append(out, j)
			}
		}
	}
	sort.Ints(out)
	return slices.Compact(out)
}

// maxTagLen bounds, in bytes, the tag before a placeholder's '_'
// ("TÉLÉPHONE", "E-MAIL").
const maxTagLen = 24

// bareBoundary checks the word boundaries the unbracketed form needs
// (the anchored match cannot see the byte before its start).
func bareBoundary(text string, start, end int, loc []int) bool {
	if loc[2] >= 0 { // bracketed form
		return true
	}
	// \b in the pattern is ASCII: a boundary is a change between a word
	// byte and another byte.
	if start > 0 {
		return asciiWord(text[start-1]) != asciiWord(text[start])
	}
	return asciiWord(text[start])
}

func asciiWord(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}
