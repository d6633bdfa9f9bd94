package assist

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/plume-admin/plume/mail"
)

// Action items of the offline engine. An action is a request or an
// obligation addressed to someone, or a dated commitment of the writer; a
// statement of fact, a confirmation, a schedule or an expiry date is not,
// whatever date it carries. Who acts is the recipient of the message for
// what is asked of "vous" (and for imperatives, questions and passives),
// the writer for what "je" or "nous" must or will do, and the subject as
// written otherwise ("chaque service", "les communes").

// actor kinds
const (
	toRecipient = iota + 1
	toSender
	toSubject
)

var (
	// politenessRE matches closing formulas, imperative as some are.
	politenessRE = regexp.MustCompile(`(?i)agréer|l['’]expression de|mes salutations|mes sentiments|considération|remercie(?:ment)?s? (?:par avance|d'avance|pour)|merci (?:d['’]avance|par avance)`)

	// askRE matches the forms of a request to the recipient.
	askRE = regexp.MustCompile(`(?i)\b(?:merci de|merci d['’]|(?:je|nous) vous remerci(?:e|ons) de|pourriez-vous|pouvez-vous|pourrais-tu|peux-tu|tu peux|auriez-vous|veuillez|vous voudrez bien|(?:je|nous) vous serai(?:s|ons)? (?:reconnaissante?s?|obligée?s?)|(?:je|nous) vous saur(?:ais|ions) gré|(?:je|nous) vous (?:demande|demandons|prie|prions|invite|invitons|engage|engageons) (?:de|d['’]|à)|il vous appartient|il vous est demandé|il convient de|il convient d['’]|il faut|il faudra|vous disposez d['’]un délai|(?:est|serait)-il possible|please|could you|can you|kindly)`)

	// imperativeRE matches a second-person imperative opening a sentence
	// or a clause ("Affichez …", "si …, appelez …", "Ne cliquez …").
	imperativeRE = regexp.MustCompile(`(?:^|[,;:]\s+)(?i:ne\s+|n['’])?(\p{L}+ez)\b`)

	// askedOfRE names whom an impersonal request is for: "il est demandé à
	// chaque mission locale de …".
	askedOfRE = regexp.MustCompile(`(?i)\bil (?:est|sera) demandé (?:à|aux) (.{3,80}?) (?:de|d['’])\b`)

	// dutyRE matches an obligation stated of a subject: "chaque service
	// doit …", "les élus sont priés de …", "vous êtes tenu de …".
	dutyRE = regexp.MustCompile(`(?i)(?:^|\s)(?:(dois|doit|doivent|devons|devez|devra|devrez|devront|devrons)|(?:est|sont|êtes|es|suis|sommes) (?:tenue?s?|priée?s?|invitée?s?|appelée?s?|chargée?s?) (?:de|d['’]|à))\s*`)

	// commitRE matches a first-person future: "je vous adresserai …".
	// passiveFutureRE matches a passive future: "sera transmis".
	passiveFutureRE = regexp.MustCompile(`(?i)\b(?:sera|seront) (\p{L}+)`)

	// limitRE matches a deadline stated as a limit, not a day of a schedule.
	limitRE = regexp.MustCompile(`(?i)^(?:sous|d['’]ici|avant|au plus tard|dans un délai|d['’]un délai|dans les|jusqu|within|by|before|until)`)

	commitRE = regexp.MustCompile(`(?i)\b(?:je|j['’]|nous)\s*(?:(?:vous|te|lui|leur|les|le|la|l['’]|en|y|vous les|vous le|vous la|vous l['’])\s*)*(\p{L}+?)(?:rai|rons)\b`)
)

// doingVerbs are the stems of verbs of doing: what a deadline or an
// obligation must be attached to ("les poussettes doivent passer", "les
// chiffres devront porter sur" are not actions).
var doingVerbs = []string{
	"accus", "achev", "activ", "adress", "affich", "annul", "appel", "communiqu", "compl", "confirm", "contact",
	"convoqu", "déclar", "demand", "dépos", "désign", "donn", "enverr", "envoi", "envoy", "établi", "examin",
	"fai", "fass", "fer", "fourni", "inform", "inscri", "install", "instrui", "justifi", "mett", "mis", "mobilis",
	"notifi", "organis", "pay", "prend", "prépar", "présent", "prévien", "préven", "procéd", "produi", "publi",
	"réalis", "rédig", "régl", "régularis", "remett", "remis", "remont", "remplac", "remplir", "rempli", "rend",
	"renvoi", "renvoy", "répond", "réserv", "retir", "retourn", "saisi", "sign", "soumet", "tenir", "tien",
	"trait", "transmet", "transmis", "valid", "vérifi",
}

func doingVerb(w string) bool {
	w = strings.ToLower(w)
	for _, v := range doingVerbs {
		if strings.HasPrefix(w, v) {
			return true
		}
	}
	return false
}

// modalSkip are the words between a modal and its verb: pronouns, "être"
// of a passive, adverbs.
var modalSkip = map[string]bool{"être": true, "se": true, "s": true, "vous": true, "nous": true, "me": true, "m": true,
	"leur": true, "lui": true, "y": true, "en": true, "le": true, "la": true, "les": true, "l": true, "ne": true, "pas": true}

// verbAfter reads the verb after a modal: the first word not in modalSkip
// and not an adverb in -ment, and whether "être" came first (a passive).
func verbAfter(rest string) (verb string, passive bool) {
	for _, w := range strings.FieldsFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) {
		lw := strings.ToLower(w)
		if lw == "être" {
			passive = true
		}
		if modalSkip[lw] || strings.HasSuffix(lw, "ment") {
			continue
		}
		return lw, passive
	}
	return "", passive
}

// subjectBefore is the subject of the clause that ends the text before a
// verb: after the last comma, semicolon or "que".
func subjectBefore(s string) string {
	cut := 0
	for _, sep := range []string{", ", "; ", ": ", " que ", " qu'", " qu’", " et "} {
		if i := strings.LastIndex(s, sep); i >= 0 && i+len(sep) > cut {
			cut = i + len(sep)
		}
	}
	return strings.TrimSpace(s[cut:])
}

// personOf tells whether a subject is the recipient, the writer or a third party.
func personOf(subject string) int {
	switch strings.ToLower(subject) {
	case "vous", "tu", "il vous", "":
		return toRecipient
	case "je", "j", "nous", "on":
		return toSender
	}
	return toSubject
}

// actionOf reports whether sentence s of message m asks or obliges someone
// to act, and who.
func actionOf(s string, m *mail.Message) (who string, ok bool) {
	if politenessRE.MatchString(s) {
		return "", false
	}
	if x := askedOfRE.FindStringSubmatch(s); x != nil {
		return x[1], true
	}
	if loc := dutyRE.FindStringSubmatchIndex(s); loc != nil {
		subject := subjectBefore(s[:loc[0]])
		verb, passive := verbAfter(s[loc[1]:])
		modal := loc[2] >= 0
		if !modal || doingVerb(verb) {
			switch {
			case passive:
				return actor(m), true
			case personOf(subject) == toRecipient:
				return actor(m), true
			case personOf(subject) == toSender:
				return senderName(m), true
			}
			return subject, true
		}
	}
	if askRE.MatchString(s) || strings.HasSuffix(s, "?") {
		return actor(m), true
	}
	for _, x := range imperativeRE.FindAllStringSubmatch(s, -1) {
		if w := strings.ToLower(x[1]); w != "chez" && w != "assez" {
			return actor(m), true
		}
	}
	d, dated := findDeadline(s, m.Date)
	if !dated || d.due.IsZero() {
		return "", false
	}
	if x := commitRE.FindStringSubmatch(s); x != nil && doingVerb(x[1]) {
		return senderName(m), true
	}
	// "le plan sera transmis sous huitaine": the writer commits to a limit,
	// not a schedule ("les rapports seront mis en ligne lundi")
	if x := passiveFutureRE.FindStringSubmatch(s); x != nil && doingVerb(x[1]) && limitRE.MatchString(d.text) {
		return senderName(m), true
	}
	return "", false
}

// eventRE finds the date of a meeting named in a message: "la séance
// publique le jeudi 27 juin", "conseil municipal du 4 juillet".
var eventRE = regexp.MustCompile(`(?i)(séance|réunion|conseil|comité|commission)[^.?!]{0,80}?\b(?:le|du)\s+(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?(\d{1,2})(?:er)?\s+(\p{L}+)(?:\s+(\d{4}))?`)

// eventBeforeRE matches a deadline given by a meeting: "avant la séance".
var eventBeforeRE = regexp.MustCompile(`(?i)^(?:avant|d['’]ici) (?:la|le) (séance|réunion|conseil|comité|commission)`)

// actionDeadline is the deadline of an action sentence; "avant la séance"
// takes the date of the meeting the message names.
func actionDeadline(s string, m *mail.Message) (deadline, bool) {
	d, ok := findDeadline(s, m.Date)
	if !ok || !d.due.IsZero() || m.Date.IsZero() {
		return d, ok
	}
	if x := eventBeforeRE.FindStringSubmatch(d.text); x != nil {
		for _, e := range eventRE.FindAllStringSubmatch(m.Subject+"\n"+newText(m), -1) {
			if !strings.EqualFold(e[1], x[1]) && !(strings.EqualFold(x[1], "séance") && strings.EqualFold(e[1], "conseil")) {
				continue
			}
			if t := dayMonth(e[2], e[3], e[4], m.Date); !t.IsZero() && !t.Before(day(m.Date)) {
				d.due = t
				return d, true
			}
		}
	}
	return d, ok
}

// offlineActions lists the actions of the thread's own sentences.
func offlineActions(t *mail.Thread, cands []candidate) []ActionItem {
	out := []ActionItem{}
	for _, c := range cands {
		if c.cited {
			// Who said it and when is not known well enough to report a task.
			continue
		}
		m := t.Messages[c.msg]
		who, ok := actionOf(c.text, m)
		if !ok {
			continue
		}
		it := ActionItem{Who: who, What: c.text}
		if d, dated := actionDeadline(c.text, m); dated {
			it.Due, it.DueText = isoDate(d.due), d.text
		}
		out = append(out, it)
	}
	return out
}
