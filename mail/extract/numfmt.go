package extract

import (
	"math"
	"strconv"
	"strings"
	"time"
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

// serialTime converts a spreadsheet serial number to a time: days since
// 1899-12-30 (Excel's phantom 29 February 1900 included), or since
// 1904-01-01 in the 1904 date system.
func serialTime(v float64, date1904 bool) (time.Time, bool) {
	if v < 0 || v > 2958465 { // 31/12/9999
		return time.Time{}, false
	}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	} else if v < 61 {
		base = base.AddDate(0, 0, 1)
	}
	days := math.Floor(v)
	ms := math.Round((v - days) * 86400 * 1000)
	return base.AddDate(0, 0, int(days)).Add(time.Duration(ms) * time.Millisecond), true
}

// formatDate renders a serial number under a date or time section.
func formatDate(v float64, sec string, date1904 bool) string {
	t, ok := serialTime(v, date1904)
	if !ok {
		return general(v)
	}
	lower := strings.ToLower(sec)
	ampm := strings.Contains(lower, "am/pm") || strings.Contains(lower, "a/p")
	var sb strings.Builder
	lastWasHour := false
	for i := 0; i < len(sec); {
		c := sec[i]
		lc := c | 0x20
		run := 1
		for i+run < len(sec) && sec[i+run]|0x20 == lc && strings.IndexByte("ymdhs", lc) >= 0 {
			run++
		}
		switch {
		case c == '"' || c == '\\' || c == '_' || c == '*':
			j := i + 1
			if c == '"' {
				if k := strings.IndexByte(sec[i+1:], '"'); k >= 0 {
					j = i + k + 2
				} else {
					j = len(sec)
				}
			} else if j < len(sec) {
				j++
			}
			sb.WriteString(literal(sec[i:j]))
			i = j
			continue
		case c == '[':
			j := strings.IndexByte(sec[i:], ']')
			if j < 0 {
				i = len(sec)
				continue
			}
			inner := strings.ToLower(sec[i+1 : i+j])
			if inner == "" {
				i += j + 1
				continue
			}
			total := v * 24
			switch inner[0] {
			case 'm':
				total *= 60
			case 's':
				total *= 3600
			}
			sb.WriteString(pad(int(math.Floor(total+1e-9)), len(inner)))
			lastWasHour = inner[0] == 'h'
			i += j + 1
			continue
		case strings.HasPrefix(lower[i:], "am/pm"):
			if t.Hour() < 12 {
				sb.WriteString("AM")
			} else {
				sb.WriteString("PM")
			}
			i += 5
			continue
		case strings.HasPrefix(lower[i:], "a/p"):
			if t.Hour() < 12 {
				sb.WriteString("A")
			} else {
				sb.WriteString("P")
			}
			i += 3
			continue
		case lc == 'y':
			if run <= 2 {
				sb.WriteString(pad(t.Year()%100, 2))
			} else {
				sb.WriteString(pad(t.Year(), 4))
			}
		case lc == 'm' && (lastWasHour || nextIsSecond(lower[i+run:])) && run <= 2:
			sb.WriteString(pad(t.Minute(), run))
		case lc == 'm':
			switch {
			case run <= 2:
				sb.WriteString(pad(int(t.Month()), run))
			case run == 3:
				sb.WriteString(frShort[t.Month()-1])
			case run == 5:
				sb.WriteString(frMonths[t.Month()-1][:1])
			default:
				sb.WriteString(frMonths[t.Month()-1])
			}
		case lc == 'd':
			switch {
			case run <= 2:
				sb.WriteString(pad(t.Day(), run))
			case run == 3:
				sb.WriteString(frDays[t.Weekday()][:3] + ".")
			default:
				sb.WriteString(frDays[t.Weekday()])
			}
		case lc == 'h':
			h := t.Hour()
			if ampm {
				h = (h+11)%12 + 1
			}
			sb.WriteString(pad(h, min(run, 2)))
		case lc == 's':
			sb.WriteString(pad(t.Second(), min(run, 2)))
			if i+run < len(sec) && sec[i+run] == '.' {
				n := 0
				for i+run+1+n < len(sec) && sec[i+run+1+n] == '0' {
					n++
				}
				if n > 0 {
					frac := strconv.Itoa(t.Nanosecond()/1e6 + 1000)[1:]
					sb.WriteString("," + frac[:min(n, 3)])
					run += 1 + n
				}
			}
		default:
			sb.WriteByte(c)
		}
		if strings.IndexByte("ymdhs", lc) >= 0 {
			lastWasHour = lc == 'h'
		}
		i += run
	}
	return sb.String()
}

// nextIsSecond reports whether the next date token of rest is seconds:
// "mm" between hours and seconds means minutes.
func nextIsSecond(rest string) bool {
	for i := 0; i < len(rest); i++ {
		switch rest[i] {
		case 's':
			return true
		case 'y', 'd', 'h', 'm':
			return false
		}
	}
	return false
}

// pad writes n with at least width digits.
func pad(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}
