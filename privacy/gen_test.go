package privacy

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
)

// This file generates the French PII corpus used by the recall tests and
// the benchmarks: valid numbers with correct checksums, written in the
// formats people use, inside varied French sentences. Everything is
// deterministic (seeded).

func digits(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()
}

// luhnComplete appends the Luhn check digit to body.
func luhnComplete(body string) string {
	for d := 0; d < 10; d++ {
		c := body + strconv.Itoa(d)
		if luhn(c) {
			return c
		}
	}
	panic("unreachable")
}

// breakCheck changes the last digit so that the check fails.
func breakLast(s string, valid func(string) bool) string {
	for d := 1; d < 10; d++ {
		last := (int(s[len(s)-1]-'0') + d) % 10
		c := s[:len(s)-1] + strconv.Itoa(last)
		if !valid(c) {
			return c
		}
	}
	panic("cannot break " + s)
}

// genNIR returns a valid compact NIR; one in five is born in Corsica.
func genNIR(r *rand.Rand) string {
	sex := "12"[r.IntN(2):][:1]
	yy := fmt.Sprintf("%02d", r.IntN(100))
	mm := fmt.Sprintf("%02d", 1+r.IntN(12))
	dept := fmt.Sprintf("%02d", 1+r.IntN(95))
	if dept == "20" {
		dept = "21"
	}
	switch r.IntN(5) {
	case 0:
		dept = []string{"2A", "2B"}[r.IntN(2)]
	case 1:
		dept = "97" // overseas: 97 + 3-digit commune
	}
	body := sex + yy + mm + dept + digits(r, 3) + fmt.Sprintf("%03d", 1+r.IntN(999))
	num := strings.NewReplacer("2A", "19", "2B", "18").Replace(body)
	n, _ := strconv.ParseInt(num, 10, 64)
	return body + fmt.Sprintf("%02d", 97-n%97)
}

// formatNIR writes a compact NIR in one of the usual layouts.
func formatNIR(r *rand.Rand, c string) string {
	switch r.IntN(4) {
	case 0:
		return c
	case 1:
		return c[:1] + " " + c[1:3] + " " + c[3:5] + " " + c[5:7] + " " + c[7:10] + " " + c[10:13] + " " + c[13:]
	case 2:
		return c[:13] + " " + c[13:]
	default:
		return c[:1] + "." + c[1:3] + "." + c[3:5] + "." + c[5:7] + "." + c[7:10] + "." + c[10:13] + "." + c[13:]
	}
}

// ibanCountries are generated with their length.
var ibanCountries = []string{"FR", "FR", "FR", "DE", "BE", "ES", "IT", "LU", "MC", "GB", "NL", "CH", "PT"}

// genIBAN returns a valid compact IBAN of a country.
func genIBAN(r *rand.Rand, country string) string {
	bban := digits(r, ibanLength[country]-4)
	if country == "GB" || country == "NL" {
		bban = "ABCD" + bban[4:]
	}
	// Check digits: 98 − (BBAN + country + "00") mod 97.
	var num strings.Builder
	for _, ch := range bban + country + "00" {
		if ch >= 'A' && ch <= 'Z' {
			num.WriteString(strconv.Itoa(int(ch-'A') + 10))
		} else {
			num.WriteRune(ch)
		}
	}
	n, _ := new(big.Int).SetString(num.String(), 10)
	check := 98 - new(big.Int).Mod(n, big.NewInt(97)).Int64()
	return fmt.Sprintf("%s%02d%s", country, check, bban)
}

// group4 writes s in groups of four separated by sep.
func group4(s, sep string) string {
	var parts []string
	for i := 0; i < len(s); i += 4 {
		parts = append(parts, s[i:min(i+4, len(s))])
	}
	return strings.Join(parts, sep)
}

func formatIBAN(r *rand.Rand, c string) string {
	switch r.IntN(3) {
	case 0:
		return c
	case 1:
		return group4(c, " ")
	default:
		return group4(c, "\u00a0")
	}
}

// genSIREN returns a Luhn-valid SIREN.
func genSIREN(r *rand.Rand) string {
	for {
		s := luhnComplete(strconv.Itoa(1+r.IntN(9)) + digits(r, 7))
		if s != laPosteSIREN {
			return s
		}
	}
}

// genSIRET returns a valid SIRET (valid SIREN, Luhn over 14 digits).
func genSIRET(r *rand.Rand) string {
	return luhnComplete(genSIREN(r) + digits(r, 4))
}

func formatSIRET(r *rand.Rand, c string) string {
	switch r.IntN(4) {
	case 0:
		return c
	case 1:
		return c[:3] + " " + c[3:6] + " " + c[6:9] + " " + c[9:]
	case 2:
		return c[:3] + " " + c[3:6] + " " + c[6:9] + " " + c[9:12] + " " + c[12:]
	default:
		return c[:3] + "." + c[3:6] + "." + c[6:9] + "." + c[9:]
	}
}

func formatSIREN(r *rand.Rand, c string) string {
	switch r.IntN(3) {
	case 0:
		return c
	case 1:
		return c[:3] + " " + c[3:6] + " " + c[6:]
	default:
		return c[:3] + "\u00a0" + c[3:6] + "\u00a0" + c[6:]
	}
}

// genCard returns a Luhn-valid card number (Visa, Mastercard, Amex, CB).
func genCard(r *rand.Rand) string {
	switch r.IntN(4) {
	case 0:
		return luhnComplete("4" + digits(r, 14))
	case 1:
		return luhnComplete("5" + strconv.Itoa(1+r.IntN(5)) + digits(r, 13))
	case 2:
		return luhnComplete("3" + "47"[r.IntN(2):][:1] + digits(r, 12))
	default:
		return luhnComplete("4" + digits(r, 11)) // 13 digits
	}
}

func formatCard(r *rand.Rand, c string) string {
	switch r.IntN(3) {
	case 0:
		return c
	case 1:
		switch len(c) {
		case 15:
			return c[:4] + " " + c[4:10] + " " + c[10:]
		case 13:
			return c[:4] + " " + c[4:7] + " " + c[7:10] + " " + c[10:]
		}
		return group4(c, " ")
	default:
		if len(c) == 13 {
			return c
		}
		return group4(c, "-")
	}
}

// sentences are French contexts; %s is the number.
var sentences = []string{
	"Veuillez trouver ci-joint le dossier de l'agent, n° %s, pour instruction.",
	"Le numéro %s figure sur l'attestation transmise hier.",
	"Référence : %s",
	"%s",
	"Pouvez-vous vérifier le %s avant la commission de lundi ?",
	"Coordonnées bancaires (%s) à mettre à jour dans Chorus.",
	"- identifiant : %s ;",
	"Merci de rappeler l'usager au sujet du %s.\nBien à vous.",
	"« %s »",
	"Le prestataire indique : %s. Le paiement est prévu fin mars.",
	"N°%s",
	"Identifiant:%s",
}

// corpusItem is one generated sentence and the number it holds.
type corpusItem struct {
	kind   Kind
	number string // as written
	text   string
}

// frenchCorpus returns n items per kind, each in a sentence.
func frenchCorpus(seed uint64, n int) []corpusItem {
	r := rand.New(rand.NewPCG(seed, 7))
	var out []corpusItem
	put := func(k Kind, num string) {
		s := sentences[r.IntN(len(sentences))]
		out = append(out, corpusItem{kind: k, number: num, text: fmt.Sprintf(s, num)})
	}
	for range n {
		put(KindNIR, formatNIR(r, genNIR(r)))
		put(KindIBAN, formatIBAN(r, genIBAN(r, ibanCountries[r.IntN(len(ibanCountries))])))
		put(KindSIRET, formatSIRET(r, genSIRET(r)))
		put(KindCard, formatCard(r, genCard(r)))
	}
	return out
}

// invalidCorpus returns numbers of the same shapes whose checksum is wrong.
func invalidCorpus(seed uint64, n int) []corpusItem {
	r := rand.New(rand.NewPCG(seed, 11))
	var out []corpusItem
	put := func(k Kind, num string) {
		s := sentences[r.IntN(len(sentences))]
		out = append(out, corpusItem{kind: k, number: num, text: fmt.Sprintf(s, num)})
	}
	for range n {
		put(KindNIR, formatNIR(r, breakLast(genNIR(r), validNIR)))
		put(KindIBAN, formatIBAN(r, breakLast(genIBAN(r, ibanCountries[r.IntN(len(ibanCountries))]), validIBAN)))
		put(KindSIRET, formatSIRET(r, breakLast(genSIRET(r), validSIRET)))
		put(KindSIREN, formatSIREN(r, breakLast(genSIREN(r), luhn)))
		put(KindCard, formatCard(r, breakLast(genCard(r), luhn)))
	}
	return out
}
