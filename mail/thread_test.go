package mail

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func msg(id string, day int, refs ...string) *Message {
	m := &Message{MessageID: id, References: refs, Subject: "s", Text: id}
	if day > 0 {
		m.Date = time.Date(2024, 6, day, 10, 0, 0, 0, time.UTC)
	}
	return m
}

func threadIDs(t *Thread) string {
	var s []string
	for _, m := range t.Messages {
		s = append(s, m.MessageID)
	}
	return strings.Join(s, " ")
}

var threadCases = []struct {
	name  string
	msgs  []*Message
	want  string
	notes string
}{
	{"date order", []*Message{msg("c", 3, "a", "b"), msg("a", 1), msg("b", 2, "a")}, "a b c", ""},
	{"missing parent", []*Message{msg("c", 3, "a", "b"), msg("a", 1)}, "a c", ""},
	{"duplicate removed", []*Message{msg("a", 1), msg("b", 2, "a"), msg("a", 1)}, "a b", "1 duplicate"},
	{"same id different message kept", []*Message{msg("a", 1), func() *Message { m := msg("a", 2); m.Text = "other"; return m }()}, "a a", "reuse another"},
	{"cycle", []*Message{msg("a", 1, "b"), msg("b", 2, "a")}, "a b", "loop"},
	{"self reference", []*Message{msg("a", 1, "a")}, "a", "loop"},
	{"undated reply after its parent", []*Message{msg("b", 0, "a"), msg("a", 5), msg("c", 4)}, "c a b", ""},
	{"nil and empty", []*Message{nil, msg("", 1), msg("", 2)}, " ", ""},
}

func TestBuildThread(t *testing.T) {
	for _, tc := range threadCases {
		t.Run(tc.name, func(t *testing.T) {
			th := BuildThread(tc.msgs)
			if got := threadIDs(th); got != tc.want {
				t.Errorf("order = %q, want %q", got, tc.want)
			}
			notes := strings.Join(th.Notes, "; ")
			if (tc.notes == "") != (notes == "") || !strings.Contains(notes, tc.notes) {
				t.Errorf("notes = %q, want %q", notes, tc.notes)
			}
		})
	}
	if th := BuildThread(nil); th == nil || len(th.Messages) != 0 || th.Latest() != nil {
		t.Errorf("empty thread = %+v", th)
	}
}

const testMbox = "From marie@x Mon Jun  3 10:00:00 2024\n" +
	"Message-ID: <b@x>\nReferences: <a@x>\nDate: Tue, 4 Jun 2024 10:00:00 +0200\nSubject: Re: Point\n\nD'accord.\n>From the start, yes.\n\n" +
	"From jean@x Mon Jun  3 09:00:00 2024\n" +
	"Message-ID: <a@x>\nDate: Mon, 3 Jun 2024 10:00:00 +0200\nSubject: Point\n\nOn fait le point ?\nFrom here it is plain.\n"

func TestReadMbox(t *testing.T) {
	raws, err := ReadMbox(strings.NewReader(testMbox), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(raws) != 2 {
		t.Fatalf("got %d messages", len(raws))
	}
	if !strings.Contains(string(raws[0]), "\nFrom the start, yes.") || strings.HasSuffix(string(raws[0]), "\n\n") {
		t.Errorf("first message not unescaped or trailing blank kept: %q", raws[0])
	}
	if !strings.Contains(string(raws[1]), "From here it is plain.") {
		t.Errorf("a From line inside a paragraph must not split: %q", raws[1])
	}
	var msgs []*Message
	for _, r := range raws {
		m, err := Parse(r, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, m)
	}
	if got := threadIDs(BuildThread(msgs)); got != "a@x b@x" {
		t.Errorf("thread order %q", got)
	}

	single, err := ReadMbox(strings.NewReader("Subject: x\n\nbody\n"), Limits{})
	if err != nil || len(single) != 1 {
		t.Errorf("single .eml: %d %v", len(single), err)
	}
	if _, err := ReadMbox(strings.NewReader(""), Limits{}); !errors.Is(err, ErrMalformed) {
		t.Errorf("empty: %v", err)
	}
	if _, err := ReadMbox(strings.NewReader(testMbox), Limits{MaxParts: 1}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("MaxParts: %v", err)
	}
	if _, err := ReadMbox(strings.NewReader(testMbox), Limits{MaxSize: 50}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("MaxSize: %v", err)
	}
}

var subjectCases = []struct{ in, want string }{
	{"Re: Dossier", "Dossier"},
	{"RE : Dossier", "Dossier"},
	{"RE\u00a0: Dossier", "Dossier"},
	{"TR: RE: Re : Dossier", "Dossier"},
	{"Fwd: Fw: FW: Dossier", "Dossier"},
	{"Réf. : Dossier 2024-12", "Dossier 2024-12"},
	{"Réf. Dossier 2024-12", "Dossier 2024-12"},
	{"Re[2]: Dossier", "Dossier"},
	{"Re(3): Dossier", "Dossier"},
	{"[EXT] RE: Dossier", "Dossier"},
	{"[Fwd: Dossier]", "Dossier"},
	{"AW: WG: Dossier", "Dossier"},
	{"Ré : DR – Dossier", "DR – Dossier"},
	{"RÉ : Dossier", "Dossier"},
	{"Re\u0301 : Dossier", "Dossier"},
	{"SV: VS: Antw: Dossier", "Dossier"},
	{"RV: Tr : Dossier", "Dossier"},
	{"Rép. : Dossier", "Dossier"},
	{"RÉF : Dossier", "Dossier"},
	{"Re: Re: Re(2): Re[3] : Dossier", "Dossier"},
	{"TR\u202f: Dossier", "Dossier"},
	{"Re：Dossier", "Dossier"},
	{"Reunion: Dossier", "Reunion: Dossier"},
	{"Svp : Dossier", "Svp : Dossier"},
	{"  Re:   Dossier   en   cours ", "Dossier en cours"},
	{"Remise des prix", "Remise des prix"},
	{"Tri sélectif", "Tri sélectif"},
	{"[DIFFUSION RESTREINTE]", "[DIFFUSION RESTREINTE]"},
	{"", ""},
}

func TestNormalizeSubject(t *testing.T) {
	for _, tc := range subjectCases {
		t.Run(tc.in, func(t *testing.T) {
			if got := NormalizeSubject(tc.in); got != tc.want {
				t.Errorf("NormalizeSubject(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
