package assist

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/privacy"
)

// The offline engine answers without any model: extractive summaries
// (sentence ranking over what each message adds), participants from the
// headers, deadlines by rules, and template replies. Every answer says it
// is an automatic, offline one.

const (
	offlineName  = privacy.OfflineEndpoint
	offlineModel = "offline-extractive"
)

var stopwords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`au aux avec ce ces cet cette dans de des du elle en et eux il ils je la le les leur lui ma mais me même mes moi mon ne nos notre nous on ou où par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l à m n s t y été être avoir ai as avons avez ont est sont suis était sera fait faire plus moins très bien tout tous toutes cela ceci ça comme si donc alors aussi encore bonjour merci cordialement madame monsieur
	the a an and or of to in on for with is are was were be been it this that these those as at by from we you i he she they our your their not no do does did have has had will would can could should please thanks regards hello dear`) {
		stopwords[w] = true
	}
}

var (
	decisionRE = regexp.MustCompile(`(?i)\b(décid|valid|retenu|arrêt[ée]|approuv|acté|accord[ée]?\b|convenu|agreed|decided|approved|confirmed|confirm[ée])`)
	functionRE = regexp.MustCompile(`(?i)^(chargée?|responsable|adjointe?|attachée?|secrétaire|gestionnaire|instructeur|instructrice|conseill[eè]re?|chef|cheffe)\b`)
	requestRE  = regexp.MustCompile(`(?i)(merci de|je vous remercie de|pourriez-vous|pouvez-vous|pourrais-tu|peux-tu|veuillez|il convient de|il faut|il faudrait|à transmettre|à envoyer|à fournir|à compléter|nous attendons|j'attends|please|could you|can you|we need|must|doit|devra|devez|devrez)`)
)

// candidate is a sentence of the thread with its score.
type candidate struct {
	text  string
	msg   int
	order int
	score float64
	cited bool // from quoted history of a message absent from the thread
}

func words(s string) []string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	out := f[:0]
	for _, w := range f {
		if len([]rune(w)) > 2 && !stopwords[w] {
			out = append(out, w)
		}
	}
	return out
}

// rank scores sentences: word frequency across the thread, recency, and
// the presence of requests, decisions, deadlines and questions.
func rank(cands []candidate, t *mail.Thread) []candidate {
	freq := map[string]int{}
	for _, c := range cands {
		seen := map[string]bool{}
		for _, w := range words(c.text) {
			if !seen[w] {
				freq[w]++
				seen[w] = true
			}
		}
	}
	for _, w := range words(t.Messages[0].NormSubject + " " + t.Messages[0].Subject) {
		freq[w] += 3
	}
	n := len(t.Messages)
	for i := range cands {
		c := &cands[i]
		ws := words(c.text)
		var s float64
		for _, w := range ws {
			s += float64(freq[w])
		}
		s /= float64(len(ws)) + 4 // favour dense sentences, not long ones
		s *= 1 + 0.5*float64(c.msg+1)/float64(n)
		if requestRE.MatchString(c.text) {
			s += 1.5
		}
		if decisionRE.MatchString(c.text) {
			s += 1
		}
		if _, ok := findDeadline(c.text, t.Messages[c.msg].Date); ok {
			s += 1
		}
		if strings.HasSuffix(c.text, "?") {
			s += 0.5
		}
		c.score = s
	}
	out := append([]candidate(nil), cands...)
	// Cited history comes only after everything the thread itself says.
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].cited != out[j].cited {
			return !out[i].cited
		}
		return out[i].score > out[j].score
	})
	return out
}

func topInOrder(ranked []candidate, k int) []candidate {
	if len(ranked) > k {
		ranked = ranked[:k]
	}
	out := append([]candidate(nil), ranked...)
	sort.Slice(out, func(i, j int) bool { return out[i].order < out[j].order })
	return out
}

// offlineSummary is the extractive summary of a thread.
func (a *Assistant) offlineSummary(req ThreadRequest, lang, reason string) *Summary {
	t := req.thread
	k := map[string]int{"short": 3, "standard": 5, "detailed": 8}[req.Length]
	if k == 0 {
		k = 5
	}
	cands := threadSentences(t)
	ranked := rank(cands, t)
	var sb strings.Builder
	if lang == "en" {
		fmt.Fprintf(&sb, "[Automatic offline summary (%s): sentences taken from the messages, not rewritten.] ", reason)
	} else {
		fmt.Fprintf(&sb, "[Résumé automatique hors ligne (%s) : phrases extraites des messages, non reformulées.] ", frReason(reason))
	}
	top := topInOrder(ranked, min(k, 4))
	for i, c := range top {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(c.text)
	}
	s := &Summary{Summary: strings.TrimSpace(sb.String()), KeyPoints: []string{}, Decisions: []string{}, OpenQuestions: []string{},
		ActionItems: []ActionItem{}, Participants: participants(t, lang)}
	for _, c := range topInOrder(ranked, k) {
		s.KeyPoints = append(s.KeyPoints, c.text)
	}
	for _, c := range cands {
		if c.cited {
			// Who said it and when is not known well enough to report a
			// decision or an open question.
			continue
		}
		if decisionRE.MatchString(c.text) && !strings.HasSuffix(c.text, "?") {
			s.Decisions = append(s.Decisions, c.text)
		}
		// questions of the last two messages are the ones still open
		if strings.HasSuffix(c.text, "?") && c.msg >= len(t.Messages)-2 {
			s.OpenQuestions = append(s.OpenQuestions, c.text)
		}
	}
	s.ActionItems = offlineActions(t, cands)
	return s
}

func frReason(r string) string {
	if r == "no model configured" {
		return "aucun modèle configuré"
	}
	return "modèle indisponible"
}

// actor is who a request in m is addressed to: its first recipient.
func actor(m *mail.Message) string { return firstName(m.To) }

// senderName is the name, else the address, of the sender of m.
func senderName(m *mail.Message) string { return firstName(m.From) }

// firstName is the display name of the first address, else its address;
// "" when there is none.
func firstName(as []mail.Address) string {
	if len(as) == 0 {
		return ""
	}
	if as[0].Name != "" {
		return as[0].Name
	}
	return as[0].Address
}

// participants lists everyone in the headers, with their role in the exchange.
func participants(t *mail.Thread, lang string) []Participant {
	type info struct {
		name  string
		roles []string
		title string
	}
	byAddr := map[string]*info{}
	var order []string
	add := func(a mail.Address, role string) {
		key := strings.ToLower(a.Address)
		if key == "" {
			key = strings.ToLower(a.Name)
		}
		if key == "" {
			return
		}
		in, ok := byAddr[key]
		if !ok {
			in = &info{name: a.String()}
			byAddr[key] = in
			order = append(order, key)
		}
		if a.Name != "" && !strings.Contains(in.name, "<") {
			in.name = a.String()
		}
		for _, r := range in.roles {
			if r == role {
				return
			}
		}
		in.roles = append(in.roles, role)
	}
	roles := map[string][2]string{
		"init": {"a ouvert l'échange", "started the thread"},
		"from": {"a écrit", "wrote"},
		"to":   {"destinataire", "recipient"},
		"cc":   {"en copie", "in copy"},
	}
	li := 0
	if lang == "en" {
		li = 1
	}
	for i, m := range t.Messages {
		for _, f := range m.From {
			if i == 0 {
				add(f, roles["init"][li])
			} else {
				add(f, roles["from"][li])
			}
			key := strings.ToLower(f.Address)
			if in := byAddr[key]; in != nil && in.title == "" {
				in.title = signatureTitle(m.Signature)
			}
		}
		for _, x := range m.To {
			add(x, roles["to"][li])
		}
		for _, x := range m.Cc {
			add(x, roles["cc"][li])
		}
	}
	out := []Participant{}
	for _, k := range order {
		in := byAddr[k]
		role := strings.Join(in.roles, ", ")
		if in.title != "" {
			role = in.title + " — " + role
		}
		out = append(out, Participant{Name: in.name, Role: role})
	}
	return out
}

// signatureTitle is the function line of a signature, when one is found.
func signatureTitle(sig string) string {
	for _, l := range strings.Split(sig, "\n") {
		l = strings.TrimSpace(strings.TrimLeft(l, "-– "))
		for _, ti := range titles {
			if ti.re.MatchString(l) {
				return l
			}
		}
		if functionRE.MatchString(l) {
			return l
		}
	}
	return ""
}
