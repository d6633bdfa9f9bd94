package privacy

import (
	"strconv"
	"strings"
)

// nirCandidate is a 15-character NIR with optional single separators
// between characters; the structure and key are checked by validNIR.
var nirCandidate = newAnchoredScanner(`[1278](?:[ .\-\x{00A0}\x{202F}]?[0-9ABab]){14}`, func(text string, p int) bool {
	return strings.IndexByte("1278", text[p]) >= 0
}, numberWindow)

// findNIRs emits French social security numbers (NIR) whose key is valid.
func findNIRs(text string, emit func(span)) {
	nirCandidate.scan(text, func(start, end int) (span, bool) {
		c, _ := compact(text[start:end])
		if !validNIR(c) || !numBoundary(text, start, end) {
			return span{}, false
		}
		return span{start: start, end: end, kind: KindNIR, key: c}, true
	}, emit)
}

// validNIR checks a compacted 15-character NIR: sex digit (1, 2, or 7, 8
// for temporary numbers), month, digits except
// the department (2A/2B allowed for Corsica) and the key
// 97 − (NIR mod 97), with 2A read as 19 and 2B as 18.
func validNIR(c string) bool {
	if len(c) != 15 || !strings.ContainsRune("1278", rune(c[0])) {
		return false
	}
	// Month: 01–12, or 20 and 30–42 and 50–99 for unknown or special dates.
	if mm := c[3:5]; !(mm >= "01" && mm <= "12" || mm == "20" || mm >= "30" && mm <= "42" || mm >= "50") {
		return false
	}
	body := []byte(c[:13])
	switch c[5:7] {
	case "2A":
		body[5], body[6] = '1', '9'
	case "2B":
		body[5], body[6] = '1', '8'
	}
	for _, b := range body {
		if b < '0' || b > '9' {
			return false
		}
	}
	for _, b := range []byte(c[13:]) {
		if b < '0' || b > '9' {
			return false
		}
	}
	n, err := strconv.ParseInt(string(body), 10, 64)
	if err != nil {
		return false
	}
	key, _ := strconv.Atoi(c[13:])
	return key == int(97-n%97)
}
