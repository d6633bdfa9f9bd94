package privacy

import (
	"strings"
	"testing"
)

// detectAll returns the spans a full session would replace in text.
func detectAll(text string) []span {
	var spans []span
	emit := func(s span) { spans = append(spans, s) }
	for _, d := range detectors {
		d.find(text, emit)
	}
	return resolve(spans)
}

// TestRecallGeneratedCorpus is the recall figure of docs/privacy.md: on 2,000
// generated numbers of each kind in French sentences, the share replaced
// by a placeholder of the right kind.
func TestRecallGeneratedCorpus(t *testing.T) {
	const perKind = 2000
	corpus := frenchCorpus(1, perKind)
	found := map[Kind]int{}
	total := map[Kind]int{}
	var misses []string
	for _, it := range corpus {
		total[it.kind]++
		ok := false
		for _, s := range detectAll(it.text) {
			if s.kind == it.kind && strings.Contains(it.text[s.start:s.end], strings.TrimSpace(it.number)) {
				ok = true
			}
		}
		if ok {
			found[it.kind]++
		} else if len(misses) < 10 {
			misses = append(misses, string(it.kind)+": "+it.text)
		}
	}
	for _, k := range []Kind{KindNIR, KindIBAN, KindSIRET, KindCard} {
		recall := float64(found[k]) / float64(total[k])
		t.Logf("recall %-5s %d/%d = %.4f", k, found[k], total[k], recall)
		if recall < 0.99 {
			t.Errorf("recall for %s = %.4f < 0.99", k, recall)
		}
	}
	for _, m := range misses {
		t.Logf("missed: %q", m)
	}
}

// TestInvalidChecksumsNotDetected: numbers of the same shapes with a wrong
// checksum give no detection at all, of any kind.
func TestInvalidChecksumsNotDetected(t *testing.T) {
	corpus := invalidCorpus(2, 2000)
	n := 0
	for _, it := range corpus {
		for _, s := range detectAll(it.text) {
			n++
			if n <= 10 {
				t.Errorf("%s %q: detected %s %q", it.kind, it.text, s.kind, it.text[s.start:s.end])
			}
		}
	}
	t.Logf("%d numbers with invalid checksums, %d detections", len(corpus), n)
}

var piiCases = []struct {
	name string
	text string
	want []string // "kind:matched text"
}{
	{"phone spaces", "Appelez le 06 12 34 56 78 demain.", []string{"phone:06 12 34 56 78"}},
	{"phone dots", "Tél. 01.23.45.67.89", []string{"phone:01.23.45.67.89"}},
	{"phone dashes", "tel 04-72-00-00-00,", []string{"phone:04-72-00-00-00"}},
	{"phone compact", "(0612345678)", []string{"phone:0612345678"}},
	{"phone +33", "joignable au +33 6 12 34 56 78.", []string{"phone:+33 6 12 34 56 78"}},
	{"phone +33 (0)", "+33 (0)1 23 45 67 89", []string{"phone:+33 (0)1 23 45 67 89"}},
	{"phone 0033", "0033 1 23 45 67 89", []string{"phone:0033 1 23 45 67 89"}},
	{"phone +262", "+262 692 12 34 56", []string{"phone:+262 692 12 34 56"}},
	{"not a phone: glued digits", "réf 106 12 34 56 78", nil},
	{"not a phone: date", "le 01/02/2024 à 10h", nil},
	{"email", "Écrire à marie.dupont@interieur.gouv.fr.", []string{"email:marie.dupont@interieur.gouv.fr"}},
	{"email plus", "<j.martin+rh@rhone.gouv.fr>", []string{"email:j.martin+rh@rhone.gouv.fr"}},
	{"not an email", "le @ seul, ou a@b", nil},
	{"siret La Poste", "SIRET 356 000 000 00006", []string{"siret:356 000 000 00006"}},
	{"siren", "SIREN 732 829 320.", []string{"siren:732 829 320"}},
	{"siren invalid", "SIREN 732 829 321.", nil},
	{"siret", "SIRET 732 829 320 00074", []string{"siret:732 829 320 00074"}},
	{"card", "carte 4970 1012 3456 7894 ", nil},
	{"visa", "carte 4111 1111 1111 1111 ", []string{"card:4111 1111 1111 1111"}},
	{"amex", "Amex 3782 822463 10005", []string{"card:3782 822463 10005"}},
	{"iban fr", "IBAN FR76 3000 6000 0112 3456 7890 189 merci", []string{"iban:FR76 3000 6000 0112 3456 7890 189"}},
	{"iban de compact", "DE89370400440532013000", []string{"iban:DE89370400440532013000"}},
	{"iban after invalid", "XX FR76 3000 6000 0112 3456 7890 189", []string{"iban:FR76 3000 6000 0112 3456 7890 189"}},
	{"address", "Rendez-vous au 12 rue de la Paix, 75002 Paris.", []string{"address:12 rue de la Paix, 75002 Paris"}},
	{"address two lines", "Préfecture\n18 avenue du Général de Gaulle\n69003 Lyon CEDEX 03\n", []string{"address:18 avenue du Général de Gaulle\n69003 Lyon CEDEX 03"}},
	{"address bis", "3 bis boulevard Victor Hugo", []string{"address:3 bis boulevard Victor Hugo"}},
	{"not an address", "les 12 rues de la ville", nil},
}

func TestDetectors(t *testing.T) {
	for _, c := range piiCases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, s := range detectAll(c.text) {
				got = append(got, string(s.kind)+":"+c.text[s.start:s.end])
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("%q: got %q, want %q", c.text, got, c.want)
			}
		})
	}
}

func TestNIRCorsicaAndKey(t *testing.T) {
	for _, c := range []struct {
		nir  string
		want bool
	}{
		{"255082A123456", false}, // no key
	} {
		if got := validNIR(c.nir); got != c.want {
			t.Errorf("validNIR(%q) = %v", c.nir, got)
		}
	}
	// Corsica: 2A reads as 19, 2B as 18 for the key.
	body := "255082A123456"
	n := int64(2550819123456)
	valid := body + twoDigits(97-n%97)
	if !validNIR(valid) {
		t.Errorf("validNIR(%q) = false", valid)
	}
	body = "169072B045012"
	n = 1690718045012
	valid = body + twoDigits(97-n%97)
	if !validNIR(valid) {
		t.Errorf("validNIR(%q) = false", valid)
	}
	spaced := valid[:1] + " " + valid[1:3] + " " + valid[3:5] + " " + valid[5:7] + " " + valid[7:10] + " " + valid[10:13] + " " + valid[13:]
	if got := detectAll("Sécurité sociale : " + spaced + "."); len(got) != 1 || got[0].kind != KindNIR {
		t.Errorf("spaced Corsican NIR %q: %v", spaced, got)
	}
}

func twoDigits(n int64) string {
	return string([]byte{byte('0' + n/10), byte('0' + n%10)})
}
