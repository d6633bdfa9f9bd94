package privacy

// ibanCandidate is a country code, two check digits and up to 30 more
// characters with optional single separators; validIBAN cuts it to the
// country's length.
var ibanCandidate = newAnchoredScanner(`[A-Za-z]{2}[0-9]{2}(?:[ \-\x{00A0}\x{202F}]?[A-Za-z0-9]){10,30}`, ibanStart, numberWindow)

// ibanStart reports whether text[p:] starts with two letters and two digits.
func ibanStart(text string, p int) bool {
	return p+4 <= len(text) && isASCIILetter(text[p]) && isASCIILetter(text[p+1]) && startsWithDigit(text, p+2) && startsWithDigit(text, p+3)
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// ibanLength is the IBAN length of each country (SEPA and neighbours).
var ibanLength = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
	"BR": 29, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "DZ": 26,
	"EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
	"GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IS": 26, "IT": 27,
	"JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MA": 28,
	"MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15,
	"PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SE": 24,
	"SI": 19, "SK": 24, "SM": 27, "SN": 28, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24,
	"XK": 20,
}

// findIBANs emits IBANs of known countries that pass the mod-97 check.
func findIBANs(text string, emit func(span)) {
	ibanCandidate.scan(text, func(start, end int) (span, bool) {
		c, off := compact(text[start:end])
		n, ok := ibanLength[c[:2]]
		if !ok || len(c) < n {
			return span{}, false
		}
		c = c[:n]
		end = start + off[n-1] + 1
		// It starts with letters: only its end can continue a longer number.
		if !validIBAN(c) || !wordBoundary(text, start, end) || !numEnd(text, end) {
			return span{}, false
		}
		return span{start: start, end: end, kind: KindIBAN, key: c}, true
	}, emit)
}

// validIBAN checks a compacted upper-case IBAN with the ISO 13616 mod-97 rule.
func validIBAN(c string) bool {
	if n, ok := ibanLength[c[:min(2, len(c))]]; !ok || len(c) != n {
		return false
	}
	rearranged := c[4:] + c[:4]
	rem := 0
	for i := 0; i < len(rearranged); i++ {
		ch := rearranged[i]
		switch {
		case '0' <= ch && ch <= '9':
			rem = (rem*10 + int(ch-'0')) % 97
		case 'A' <= ch && ch <= 'Z':
			v := int(ch-'A') + 10
			rem = (rem*100 + v) % 97
		default:
			return false
		}
	}
	return rem == 1
}
