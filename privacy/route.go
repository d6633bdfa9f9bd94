package privacy

import (
	"fmt"
	"strings"

	"github.com/plume-admin/plume/mail"
)

// Clearance is what one model endpoint may receive.
type Clearance struct {
	// Endpoint is the endpoint's configured name.
	Endpoint string `json:"endpoint" yaml:"endpoint"`
	// Cleared lists the marking labels the endpoint may receive, e.g.
	// "DIFFUSION RESTREINTE" (compared ignoring case, accents and spacing).
	// "*" clears every marking. Encrypted content is never cleared.
	Cleared []string `json:"cleared" yaml:"cleared"`
}

// clears reports whether c may receive label.
func (c Clearance) clears(label string) bool {
	want := labelKey(label)
	for _, l := range c.Cleared {
		if strings.TrimSpace(l) == "*" || labelKey(l) == want {
			return true
		}
	}
	return false
}

// labelKey folds a label for comparison: "Spécial  france" == "SPÉCIAL FRANCE".
func labelKey(s string) string {
	return strings.Join(strings.FieldsFunc(foldString(s), func(r rune) bool {
		return r == ' ' || r == '-' || r == '_' || r == '\t' || r == '\n'
	}), " ")
}

// Route picks the first candidate endpoint cleared for every marking.
// Candidates are in order of preference (the requested endpoint first).
// Encrypted content is refused whatever the candidates (ErrEncrypted);
// marked content with no cleared candidate is refused (ErrRefused). Both
// refusals are *Refusal values. Unmarked content goes to the first
// candidate; no candidate at all is ErrNoEndpoint.
func Route(markings []mail.Marking, encrypted bool, candidates []Clearance) (endpoint string, err error) {
	if encrypted {
		return "", &Refusal{Encrypted: true, Endpoints: names(candidates)}
	}
	if len(candidates) == 0 {
		return "", ErrNoEndpoint
	}
	for _, c := range candidates {
		ok := true
		for _, m := range markings {
			if !c.clears(m.Label) {
				ok = false
				break
			}
		}
		if ok {
			return c.Endpoint, nil
		}
	}
	// Name the marking that blocks: one no candidate is cleared for, else
	// the first one the preferred candidate is not cleared for.
	blocking := -1
	for i, m := range markings {
		cleared := false
		for _, c := range candidates {
			if c.clears(m.Label) {
				cleared = true
				break
			}
		}
		if !cleared {
			blocking = i
			break
		}
	}
	if blocking < 0 {
		for i, m := range markings {
			if !candidates[0].clears(m.Label) {
				blocking = i
				break
			}
		}
	}
	labels := make([]string, 0, len(markings))
	for _, m := range markings {
		labels = append(labels, m.Label)
	}
	return "", &Refusal{Marking: markings[blocking], Labels: labels, Endpoints: names(candidates)}
}

func names(cs []Clearance) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Endpoint
	}
	return out
}

// Refusal explains why content may not go to a model. errors.Is matches
// ErrEncrypted for encrypted content and ErrRefused for a marking (an
// encrypted refusal does not match ErrRefused).
type Refusal struct {
	// Encrypted is true when the content is S/MIME- or PGP-encrypted.
	Encrypted bool
	// Marking is the marking that caused the refusal, with where it was found.
	Marking mail.Marking
	// Labels are all the markings of the content.
	Labels []string
	// Endpoints are the endpoints that were considered.
	Endpoints []string
}

// Error is the log message (English, no content).
func (r *Refusal) Error() string {
	if r.Encrypted {
		return ErrEncrypted.Error()
	}
	return fmt.Sprintf("%s: %q found in %s; no endpoint among %v is cleared for it",
		ErrRefused.Error(), r.Marking.Label, r.Marking.Where, r.Endpoints)
}

// Is lets errors.Is match ErrRefused or ErrEncrypted.
func (r *Refusal) Is(target error) bool {
	if r.Encrypted {
		return target == ErrEncrypted
	}
	return target == ErrRefused
}

// Code is the stable API problem code: "refused_encrypted" or "refused_marking".
func (r *Refusal) Code() string {
	if r.Encrypted {
		return "refused_encrypted"
	}
	return "refused_marking"
}

// French is the sentence the panel shows to a French-speaking agent.
func (r *Refusal) French() string {
	if r.Encrypted {
		return "Ce message est chiffré (S/MIME ou PGP) : son contenu n'est jamais transmis à un modèle de langue. Lisez-le dans votre messagerie."
	}
	return fmt.Sprintf("Ce message porte la mention « %s » (%s). Aucun modèle disponible n'est habilité pour cette mention : la demande n'a pas été transmise.",
		r.Marking.Label, whereIn(r.Marking.Where, whereFR))
}

// English is the sentence the panel shows to an English-speaking agent.
func (r *Refusal) English() string {
	if r.Encrypted {
		return "This message is encrypted (S/MIME or PGP): its content is never sent to a language model. Read it in your mail client."
	}
	return fmt.Sprintf("This message is marked %q (%s). No available model is cleared for this marking: the request was not sent.",
		r.Marking.Label, whereIn(r.Marking.Where, whereEN))
}

// wherePhrases are the words of one language that say where a marking was
// found.
type wherePhrases struct{ subject, body, header, attachment string }

var (
	whereFR = wherePhrases{"dans l'objet", "dans le corps du message", "dans l'en-tête ", "dans la pièce jointe "}
	whereEN = wherePhrases{"in the subject", "in the message body", "in the header ", "in the attachment "}
)

// whereIn says where a marking was found (Marking.Where) in the words of w.
func whereIn(where string, w wherePhrases) string {
	switch {
	case where == "subject":
		return w.subject
	case where == "body":
		return w.body
	case strings.HasPrefix(where, "header:"):
		return w.header + strings.TrimPrefix(where, "header:")
	case strings.HasPrefix(where, "attachment:"):
		return w.attachment + strings.TrimPrefix(where, "attachment:")
	}
	return where
}
