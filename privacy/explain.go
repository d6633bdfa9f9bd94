package privacy

import "sort"

// Replacement is one value a Session replaced, with why: what
// `plume redact --explain` shows an administrator. It holds personal
// data: never log it.
type Replacement struct {
	// Placeholder is what the model sees: "[PERSONNE_1]".
	Placeholder string `json:"placeholder"`
	// Kind is the kind of personal data: "name", "agdref" …
	Kind string `json:"kind"`
	// Rule is the format or the cue that found it: "civilité",
	// "indice « numéro étranger »", "clé NIR".
	Rule string `json:"rule"`
	// Text is the original text.
	Text string `json:"text"`
}

// kindFormat is the rule of the kinds found by their format alone.
var kindFormat = map[Kind]string{
	KindEmail:   "forme d'adresse électronique",
	KindIBAN:    "IBAN, clé mod 97",
	KindNIR:     "NIR, clé mod 97",
	KindSIRET:   "SIRET, clé de Luhn",
	KindSIREN:   "SIREN, clé de Luhn",
	KindCard:    "numéro de carte, clé de Luhn",
	KindPhone:   "forme de numéro de téléphone",
	KindAddress: "numéro, type de voie et nom",
	KindName:    "nom connu du fil",
}

// Replacements lists what the session replaced so far, one entry per
// placeholder, in placeholder order.
func (s *Session) Replacements() []Replacement {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Replacement, 0, len(s.why))
	for slot, r := range s.why {
		r.Placeholder = "[" + slot + "]"
		r.Text = s.bySlot[slot]
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Placeholder < out[j].Placeholder })
	return out
}

// explain records why sp was replaced by slot.
func (s *Session) explain(slot string, sp span) {
	if sp.kind == kindLiteral {
		return
	}
	rule := sp.rule
	if rule == "" {
		rule = kindFormat[sp.kind]
	}
	s.why[slot] = Replacement{Kind: string(sp.kind), Rule: rule}
}
