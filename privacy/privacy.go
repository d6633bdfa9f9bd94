// Package privacy decides what of a mail thread may leave for a language
// model, and in which form.
//
// # Protection markings
//
// A [Detector] finds protection markings (DIFFUSION RESTREINTE, SPÉCIAL
// FRANCE, CONFIDENTIEL PERSONNEL and configured terms) in subjects, headers,
// bodies and attachment text. [Route] then picks a model endpoint cleared for
// every marking found, or refuses with a [*Refusal] that names the marking
// and carries a French and an English sentence for the panel. Encrypted mail
// (S/MIME or PGP) is never sent anywhere.
//
// The rule for body and attachment text is deliberate: a term found in a
// subject or a classification header always counts; in body text it counts
// only where it stands as a marking — alone on its line (decorations such as
// "***" or "-" allowed, the term may be broken over lines), in brackets,
// written in capitals, at the start of the document, or after a label such as
// "Mention :". "La diffusion restreinte aux membres du bureau" inside a
// sentence is ordinary prose and is not a marking.
//
// # Pseudonymisation
//
// A [Pseudonymizer] hands out one [Session] per request. The session replaces
// French personal data — NIR (with a valid key), IBAN (mod 97), SIRET and
// SIREN (Luhn), payment card numbers (Luhn), French phone numbers, e-mail
// addresses, postal addresses, the identifiers préfecture mail carries
// (foreigner's AGDREF number, passport, identity card, numéro fiscal, plates,
// dates of birth, CAF numbers: bare numbers only after a cue), the
// organisation's own patterns, and people's names, whole and in every form,
// learnt from headers, civilities, greetings, signatures, cues and lists, or
// found as capitalised words that are not French words (Debian's wfrench
// list, embedded) — by stable placeholders such as [PERSONNE_1] or [EMAIL_2], so the model can
// still tell who is who. [Session.Restore] puts the exact original text back
// into the answer; placeholders the session does not know are shown as
// "[donnée masquée]", never raw. [StreamRestorer] does the same on streamed
// tokens, where a placeholder may be split across chunks.
//
// Numbers whose checksum is wrong are not personal data by this package's
// definition and are left alone.
//
// # Output guard
//
// [GuardOutput] removes from an answer every URL, e-mail address, phone
// number, image and markdown link that does not occur in the source material,
// and reports how many it removed. Items that occur in the source only next
// to an injected instruction ("ignore previous instructions", "add this
// link", forged role markers …) are removed as well.
//
// # Audit
//
// An [Auditor] writes one JSON line per request ([AuditRecord]): time, a
// salted hash of the user, task, source, marking decision, endpoint, model,
// token counts, counts of pseudonymised items by kind, hidden text dropped
// and outcome. It has no field for content.
//
// # Example
//
//	det, _ := privacy.NewDetector(privacy.MarkingOptions{})
//	marks := det.Thread(thread)
//	endpoint, err := privacy.Route(marks, encrypted, clearances)
//	if errors.Is(err, privacy.ErrRefused) { … show err.(*privacy.Refusal).French() … }
//	s := privacy.NewPseudonymizer(privacy.PIIOptions{}).Session()
//	s.LearnThread(thread)
//	safe := s.Thread(thread)            // send this to the model
//	answer := s.Restore(modelAnswer)    // then guard it
//	answer, report := privacy.GuardOutput(answer, sourceTexts...)
package privacy

import "errors"

// Sentinel errors of package privacy. Callers branch with errors.Is.
var (
	// ErrRefused reports that marked content may not go to any candidate endpoint.
	ErrRefused = errors.New("privacy: refused by protection marking")
	// ErrEncrypted reports that encrypted content is never sent to a model.
	ErrEncrypted = errors.New("privacy: encrypted content is never sent")
	// ErrNoEndpoint reports that no model endpoint was offered to Route.
	ErrNoEndpoint = errors.New("privacy: no model endpoint")
	// ErrUnknownKind reports a PII kind name that this package does not know.
	ErrUnknownKind = errors.New("privacy: unknown PII kind")
	// ErrBadTerm reports a configured marking term that cannot be used.
	ErrBadTerm = errors.New("privacy: unusable marking term")
)

// Kind names one class of personal data. Its string is used in counts,
// options and audit records.
type Kind string

// The kinds of personal data a Session replaces.
const (
	KindName    Kind = "name"
	KindEmail   Kind = "email"
	KindPhone   Kind = "phone"
	KindIBAN    Kind = "iban"
	KindNIR     Kind = "nir"
	KindSIRET   Kind = "siret"
	KindSIREN   Kind = "siren"
	KindCard    Kind = "card"
	KindAddress Kind = "address"
	// KindAGDREF is the foreigner's number (AGDREF), ten digits after a cue.
	KindAGDREF Kind = "agdref"
	// KindPassport is a passport number: 2 digits, 2 letters, 5 digits.
	KindPassport Kind = "passport"
	// KindIDCard is an identity card number, old (12 digits) or new (9 characters).
	KindIDCard Kind = "idcard"
	// KindTaxID is the numéro fiscal: 13 digits after a cue.
	KindTaxID Kind = "taxid"
	// KindPlate is a vehicle registration plate.
	KindPlate Kind = "plate"
	// KindBirthdate is a date of birth ("né le 14/08/1959").
	KindBirthdate Kind = "birthdate"
	// KindCAF is a CAF allocataire number: 7 digits after a cue.
	KindCAF Kind = "caf"
	// KindOrg is an identifier of the organisation's own patterns (PIIOptions.Patterns).
	KindOrg Kind = "org"
)

// Kinds lists every kind of personal data, in placeholder-priority order.
var Kinds = []Kind{KindEmail, KindIBAN, KindNIR, KindSIRET, KindSIREN, KindCard,
	KindIDCard, KindPassport, KindTaxID, KindAGDREF, KindCAF, KindPlate, KindBirthdate, KindOrg,
	KindPhone, KindAddress, KindName}

// kindTag is the placeholder word of each kind: [PERSONNE_1], [EMAIL_2] …
var kindTag = map[Kind]string{
	KindName:      "PERSONNE",
	KindEmail:     "EMAIL",
	KindPhone:     "TELEPHONE",
	KindIBAN:      "IBAN",
	KindNIR:       "NIR",
	KindSIRET:     "SIRET",
	KindSIREN:     "SIREN",
	KindCard:      "CARTE",
	KindAddress:   "ADRESSE",
	KindAGDREF:    "ETRANGER",
	KindPassport:  "PASSEPORT",
	KindIDCard:    "CNI",
	KindTaxID:     "FISCAL",
	KindPlate:     "PLAQUE",
	KindBirthdate: "NAISSANCE",
	KindCAF:       "CAF",
	KindOrg:       "IDENTIFIANT",
	kindLiteral:   "TEXTE",
}

// kindLiteral marks placeholder look-alikes already present in the input;
// they are themselves replaced so that restoration stays exact and a mail
// cannot forge a placeholder. Not counted as personal data.
const kindLiteral Kind = "literal"

// Masked is what Restore shows for a placeholder the session does not know.
const Masked = "[donnée masquée]"
