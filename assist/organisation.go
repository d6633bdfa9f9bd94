package assist

import (
	"fmt"
	"strings"
	"time"

	"github.com/plume-admin/plume/internal/calendar"
)

// Organisation is what the organisation's letters say of it: the
// bloc-marque, the service in charge and its contact details, the
// signature with its delegation, the closings it uses, and the table of
// procedures its accusés de réception cite. It is configuration, written
// by the administration, never model output: the parts of a letter or an
// acknowledgement taken from it are added after the model's answer is
// restored and guarded. The zero value leaves every such part
// [à compléter].
type Organisation struct {
	// Letterhead are the lines of the bloc-marque, top left of a letter
	// ("PRÉFET DE SEINE-ET-MARNE", "Liberté Égalité Fraternité",
	// "Direction de la citoyenneté", "Bureau du séjour").
	Letterhead []string `yaml:"letterhead" json:"letterhead,omitempty"`
	// Name is the administration's name in running text ("la préfecture de
	// Seine-et-Marne").
	Name string `yaml:"name" json:"name,omitempty"`
	// Place is the town of the date line ("Melun").
	Place string `yaml:"place" json:"place,omitempty"`
	// Service is the service in charge of requests.
	Service string `yaml:"service" json:"service,omitempty"`
	// Address is the service's postal address, on one line.
	Address string `yaml:"address" json:"address,omitempty"`
	// Phone and Email are the service's contact details.
	Phone string `yaml:"phone" json:"phone,omitempty"`
	Email string `yaml:"email" json:"email,omitempty"`
	// Signatory is the authority that signs ("Le préfet").
	Signatory string `yaml:"signatory" json:"signatory,omitempty"`
	// Delegation is the delegation line, when the signer signs for the
	// authority ("Pour le préfet et par délégation,"); empty: none.
	Delegation string `yaml:"delegation" json:"delegation,omitempty"`
	// SignerTitle is the signer's function under the delegation ("le
	// secrétaire général").
	SignerTitle string `yaml:"signer_title" json:"signerTitle,omitempty"`
	// Court is the administrative court of appeals ("tribunal
	// administratif de Melun").
	Court string `yaml:"court" json:"court,omitempty"`
	// Closings overrides the formule de politesse per addressee: the key
	// is a word of the addressee's title ("maire", "préfet", "ministre",
	// "usager" for a private person), the value the whole formula, with
	// "{appellation}" where the appellation goes.
	Closings map[string]string `yaml:"closings" json:"closings,omitempty"`
	// Procedures are the procedures whose requests the organisation
	// acknowledges, with their silence rule.
	Procedures []Procedure `yaml:"procedures" json:"procedures,omitempty"`
}

// Silence rules of a procedure.
const (
	SilenceAccepts = "acceptation"
	SilenceRejects = "rejet"
)

// Procedure is one kind of request and what the administration's silence
// on it means (CRPA L231-1: acceptance after two months, unless a text
// says rejection, L231-4 and the decrees).
type Procedure struct {
	// Name identifies the procedure in requests ("titre_sejour").
	Name string `yaml:"name" json:"name"`
	// Label names it in letters ("demande de titre de séjour").
	Label string `yaml:"label" json:"label"`
	// Keywords find the procedure in the request's subject and text when
	// the caller does not name it.
	Keywords []string `yaml:"keywords" json:"keywords,omitempty"`
	// Silence is "acceptation" or "rejet".
	Silence string `yaml:"silence" json:"silence"`
	// DelayMonths and DelayDays are the delay after which silence is a
	// decision, counted from the receipt of the request; one is required.
	DelayMonths int `yaml:"delay_months" json:"delayMonths,omitempty"`
	DelayDays   int `yaml:"delay_days" json:"delayDays,omitempty"`
	// Basis is the text that sets the rule ("article R432-2 du CESEDA");
	// empty: CRPA L231-1 for acceptance, L231-4 for rejection.
	Basis string `yaml:"basis" json:"basis,omitempty"`
	// PiecesDays is the time given to send missing pieces, counted from
	// the acknowledgement; zero leaves the deadline [à compléter].
	PiecesDays int `yaml:"pieces_days" json:"piecesDays,omitempty"`
	// Service, Phone and Email override the organisation's for this procedure.
	Service string `yaml:"service" json:"service,omitempty"`
	Phone   string `yaml:"phone" json:"phone,omitempty"`
	Email   string `yaml:"email" json:"email,omitempty"`
}

// Check reports what is wrong with a procedure, naming the field.
func (p Procedure) Check() error {
	switch {
	case p.Name == "":
		return fmt.Errorf("%w: name is required", ErrBadRequest)
	case p.Silence != SilenceAccepts && p.Silence != SilenceRejects:
		return fmt.Errorf("%w: silence must be %q or %q, got %q", ErrBadRequest, SilenceAccepts, SilenceRejects, p.Silence)
	case p.DelayMonths < 0 || p.DelayDays < 0 || p.PiecesDays < 0:
		return fmt.Errorf("%w: delays must be positive", ErrBadRequest)
	case (p.DelayMonths == 0) == (p.DelayDays == 0):
		return fmt.Errorf("%w: exactly one of delay_months and delay_days is required", ErrBadRequest)
	}
	return nil
}

// procedure returns the named procedure, or the first whose keywords occur
// in text; ok is false when none.
func (o Organisation) procedure(name, text string) (Procedure, bool) {
	for _, p := range o.Procedures {
		if name != "" && p.Name == name {
			return p, true
		}
	}
	if name != "" {
		return Procedure{}, false
	}
	low := strings.ToLower(text)
	for _, p := range o.Procedures {
		for _, k := range p.Keywords {
			if k = strings.ToLower(strings.TrimSpace(k)); k != "" && strings.Contains(low, k) {
				return p, true
			}
		}
	}
	return Procedure{}, false
}

// decisionDate is the day silence becomes a decision: received plus the
// delay. A month delay ends on the same day number, or the month's last
// day when it has none (31 January + 1 month = 28 or 29 February).
func (p Procedure) decisionDate(received time.Time) time.Time {
	if p.DelayDays > 0 {
		return received.AddDate(0, 0, p.DelayDays)
	}
	return addMonths(received, p.DelayMonths)
}

// addMonths adds n months to t, clamping to the last day of the month.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	last := lastOfMonth(y, m+time.Month(n)).Day()
	return time.Date(y, m+time.Month(n), min(d, last), 0, 0, 0, 0, t.Location())
}

// delayText is the delay in words ("quatre mois", "90 jours").
func (p Procedure) delayText() string {
	if p.DelayDays > 0 {
		return fmt.Sprintf("%d jours", p.DelayDays)
	}
	names := []string{"", "un", "deux", "trois", "quatre", "cinq", "six"}
	if p.DelayMonths < len(names) {
		return names[p.DelayMonths] + " mois"
	}
	return fmt.Sprintf("%d mois", p.DelayMonths)
}

// frenchDate writes a date as in a letter: "1er décembre 2026", "5 décembre 2026".
func frenchDate(t time.Time) string {
	d := fmt.Sprint(t.Day())
	if t.Day() == 1 {
		d = "1er"
	}
	return d + " " + calendar.FrenchMonth(t.Month()) + " " + fmt.Sprint(t.Year())
}

// orTodo is s, or the [à compléter] placeholder naming what is missing.
func orTodo(s, what string) string {
	if strings.TrimSpace(s) == "" {
		return "[à compléter : " + what + "]"
	}
	return s
}
