package extract

import (
	"math"
	"strconv"
	"strings"
)

// A number format renders a cell value as the spreadsheet shows it, in
// French conventions: "44197" under a date format is "01/01/2021",
// 6.2555199999999989 under "0.00" is "6,26", 0.125 under "0.0%" is
// "12,5 %". The codes are those of SpreadsheetML (ECMA-376 §18.8.31);
// OpenDocument cells carry their displayed text and need none of this.

// builtinFormats are the implicit number formats of SpreadsheetML, as a
// French Excel shows them (ids 5–8 and 14, 22 depend on the locale).
var builtinFormats = map[int]string{
	0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
	5: `#,##0 "€";-#,##0 "€"`, 6: `#,##0 "€";-#,##0 "€"`,
	7: `#,##0.00 "€";-#,##0.00 "€"`, 8: `#,##0.00 "€";-#,##0.00 "€"`,
	9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "General", 13: "General",
	14: "dd/mm/yyyy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
	18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss",
	22: "dd/mm/yyyy h:mm",
	37: "#,##0 ;(#,##0)", 38: "#,##0 ;(#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;(#,##0.00)",
	45: "mm:ss", 46: "[h]:mm:ss", 47: "mm:ss.0", 48: "##0.0E+0", 49: "@",
}

// maxFormatLen caps the length of a format code that is interpreted.
const maxFormatLen = 256

// formatCell renders the numeric value v (as written in the cell) under
// the format code; a value that is not a number is returned as is.
func formatCell(v, code string, date1904 bool) string {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return v
	}
	if len(code) > maxFormatLen {
		code = "General"
	}
	sections := splitSections(code)
	sec := sections[0]
	neg := f < 0
	switch {
	case f < 0 && len(sections) >= 2 && strings.TrimSpace(sections[1]) != "":
		sec, f, neg = sections[1], -f, false
	case f == 0 && len(sections) >= 3:
		sec = sections[2]
	}
	sec = stripConditions(sec)
	switch kind := formatKind(sec); kind {
	case "date":
		return formatDate(f, sec, date1904)
	case "text":
		return literal(strings.ReplaceAll(sec, "@", strconv.FormatFloat(f, 'f', -1, 64)))
	case "general":
		s := general(f)
		if pre, post, ok := strings.Cut(sec, "General"); ok && len(sections) > 1 {
			return literal(pre) + strings.TrimPrefix(s, "-") + literal(post)
		}
		return s
	}
	return formatNumber(f, sec, neg)
}

// general renders v as the General format does: up to ten significant
// digits, a decimal comma.
func general(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 10, 64), 64)
	s := strconv.FormatFloat(r, 'f', -1, 64)
	if math.Abs(r) >= 1e11 || math.Abs(r) < 1e-9 {
		s = strings.ToUpper(strconv.FormatFloat(r, 'g', -1, 64))
	}
	return strings.Replace(s, ".", ",", 1)
}

// splitSections splits a format code on the semicolons outside quotes.
func splitSections(code string) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(code); i++ {
		switch code[i] {
		case '"':
			quoted = !quoted
		case '\\':
			i++
		case ';':
			if !quoted {
				out = append(out, code[start:i])
				start = i + 1
			}
		}
	}
	return append(out, code[start:])
}

// stripConditions removes colours and conditions ("[Red]", "[<100]") and
// keeps currency symbols ("[$€-40C]" → "€") and elapsed time ("[h]").
func stripConditions(sec string) string {
	var sb strings.Builder
	for i := 0; i < len(sec); i++ {
		c := sec[i]
		if c == '"' {
			j := strings.IndexByte(sec[i+1:], '"')
			if j < 0 {
				sb.WriteString(sec[i:])
				break
			}
			sb.WriteString(sec[i : i+j+2])
			i += j + 1
			continue
		}
		if c != '[' {
			sb.WriteByte(c)
			continue
		}
		j := strings.IndexByte(sec[i:], ']')
		if j < 0 {
			break
		}
		inner := sec[i+1 : i+j]
		i += j
		switch {
		case strings.HasPrefix(inner, "$"):
			sym, _, _ := strings.Cut(inner[1:], "-")
			sb.WriteString(`"` + strings.ReplaceAll(sym, `"`, "") + `"`)
		case strings.Trim(strings.ToLower(inner), "hms") == "" && inner != "":
			sb.WriteString("[" + inner + "]")
		}
	}
	return sb.String()
}

// formatKind tells a date or time code, the text code "@", General, or a
// number code, from the characters outside literals.
func formatKind(sec string) string {
	bare := strings.ToLower(unquoted(sec))
	switch {
	case strings.Contains(bare, "general"):
		return "general"
	case strings.ContainsAny(bare, "ymdhs"):
		return "date"
	case strings.Contains(bare, "@"):
		return "text"
	}
	return "number"
}

// unquoted returns sec without its quoted strings and escaped characters.
func unquoted(sec string) string {
	var sb strings.Builder
	for i := 0; i < len(sec); i++ {
		switch c := sec[i]; c {
		case '"':
			j := strings.IndexByte(sec[i+1:], '"')
			if j < 0 {
				return sb.String()
			}
			i += j + 1
		case '\\', '_', '*':
			i++
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

// literal renders the literal parts of a code: quoted text, escaped
// characters, "_x" padding as a space, "*x" fill dropped.
func literal(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			j := strings.IndexByte(s[i+1:], '"')
			if j < 0 {
				sb.WriteString(s[i+1:])
				return sb.String()
			}
			sb.WriteString(s[i+1 : i+1+j])
			i += j + 1
		case '\\':
			if i+1 < len(s) {
				sb.WriteByte(s[i+1])
				i++
			}
		case '_':
			sb.WriteByte(' ')
			i++
		case '*':
			i++
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

// formatNumber renders v under a number section: fixed decimals, grouping,
// percent, scientific notation, literal text around the digits.
func formatNumber(v float64, sec string, neg bool) string {
	// Find the digit placeholders outside literals.
	first, last := -1, -1
	for i := 0; i < len(sec); i++ {
		switch c := sec[i]; c {
		case '"':
			j := strings.IndexByte(sec[i+1:], '"')
			if j < 0 {
				i = len(sec)
				continue
			}
			i += j + 1
		case '\\', '_', '*':
			i++
		case '0', '#', '?':
			if first < 0 {
				first = i
			}
			last = i
		case '.', ',':
			if first >= 0 {
				last = i
			}
		case 'E', 'e':
			if first >= 0 && i+1 < len(sec) && (sec[i+1] == '+' || sec[i+1] == '-') {
				last = i + 1
				for last+1 < len(sec) && strings.IndexByte("0#?", sec[last+1]) >= 0 {
					last++
				}
				i = last
			}
		}
	}
	if first < 0 {
		return literal(sec)
	}
	pre, num, post := sec[:first], sec[first:last+1], sec[last+1:]
	if strings.Contains(unquoted(pre+post), "%") {
		v *= 100
	}
	v = math.Abs(v)
	mant, exp, sci := strings.Cut(strings.ToUpper(num), "E")
	intPart, fracPart, _ := strings.Cut(mant, ".")
	decimals := strings.Count(fracPart, "0") + strings.Count(fracPart, "#") + strings.Count(fracPart, "?")
	optional := strings.Count(fracPart, "#")
	grouping := strings.Contains(strings.Trim(intPart, ","), ",")
	for strings.HasSuffix(intPart, ",") { // trailing commas scale by a thousand
		intPart = intPart[:len(intPart)-1]
		v /= 1000
	}
	minInt := strings.Count(intPart, "0")
	var digits string
	if sci {
		s := strconv.FormatFloat(v, 'E', min(decimals, 15), 64)
		m, e, _ := strings.Cut(s, "E")
		n, _ := strconv.Atoi(e)
		sign := ""
		if n < 0 {
			sign, n = "-", -n
		} else if strings.HasPrefix(exp, "+") {
			sign = "+"
		}
		es := strconv.Itoa(n)
		if w := strings.Count(exp, "0"); len(es) < w {
			es = strings.Repeat("0", w-len(es)) + es
		}
		digits = strings.Replace(m, ".", ",", 1) + "E" + sign + es
	} else {
		s := strconv.FormatFloat(v, 'f', min(decimals, 15), 64)
		ip, fp, _ := strings.Cut(s, ".")
		for optional > 0 && strings.HasSuffix(fp, "0") {
			fp, optional = fp[:len(fp)-1], optional-1
		}
		if ip == "0" && minInt == 0 {
			ip = ""
		}
		for len(ip) < minInt {
			ip = "0" + ip
		}
		if grouping {
			ip = group(ip)
		}
		digits = ip
		if fp != "" {
			digits += "," + fp
		}
		if digits == "" {
			digits = "0"
		}
	}
	if neg && strings.Trim(digits, "0,E+- ") != "" {
		digits = "-" + digits
	}
	return literal(pre) + digits + literal(post)
}

// group inserts a space between groups of three digits.
func group(ip string) string {
	if len(ip) <= 3 {
		return ip
	}
	var sb strings.Builder
	head := len(ip) % 3
	if head > 0 {
		sb.WriteString(ip[:head])
	}
	for i := head; i < len(ip); i += 3 {
		if sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(ip[i : i+3])
	}
	return sb.String()
}

var (
	frMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	frShort  = [...]string{"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."}
	frDays   = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
)
