package extract

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Dates and times as a spreadsheet shows them (number formats with d, m, y, h, s).

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
