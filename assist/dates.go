package assist

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/plume-admin/plume/internal/calendar"
)

// A deadline found by rules in a sentence, relative to the date of the
// message that states it.
type deadline struct {
	text string    // as written: "sous huitaine"
	due  time.Time // zero when the text gives no day
}

// deadlineRule turns a match into a date (zero when only approximate).
type deadlineRule struct {
	re *regexp.Regexp
	fn func(m []string, ref time.Time) time.Time
}

var deadlineRules = []deadlineRule{
	// "avant le 15 juillet 2024", "au plus tard le 3 mars", "by 15 July"
	{regexp.MustCompile(`(?i)(?:avant le|d'ici le|d’ici le|au plus tard le|pour le|jusqu'au|jusqu’au|le|by|before|on|until)\s+(?:` + calendar.WeekdayPattern + `\s+)?(\d{1,2})(?:er)?\s+(` + calendar.MonthPattern + `)(?:\s+(\d{4}))?`),
		func(m []string, ref time.Time) time.Time { return dayMonth(m[1], m[2], m[3], ref) }},
	// "by July 15"
	{regexp.MustCompile(`(?i)(?:by|before|until|on)\s+(` + calendar.MonthPattern + `)\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?`),
		func(m []string, ref time.Time) time.Time { return dayMonth(m[2], m[1], m[3], ref) }},
	// "avant le 15/07/2024", "le 15/07"
	{regexp.MustCompile(`(?i)(?:avant le|d'ici le|d’ici le|au plus tard le|pour le|jusqu'au|le|by|before)\s+(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?`),
		func(m []string, ref time.Time) time.Time { return dayMonthNum(m[1], m[2], m[3], ref) }},
	// ISO date
	{regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`),
		func(m []string, ref time.Time) time.Time {
			t, err := time.Parse("2006-01-02", m[0])
			if err != nil {
				return time.Time{}
			}
			return t
		}},
	{regexp.MustCompile(`(?i)sous huitaine|dans la huitaine|within a week`),
		func(_ []string, ref time.Time) time.Time { return day(ref).AddDate(0, 0, 8) }},
	{regexp.MustCompile(`(?i)sous quinzaine|dans la quinzaine|within two weeks|within a fortnight`),
		func(_ []string, ref time.Time) time.Time { return day(ref).AddDate(0, 0, 15) }},
	// "sous 10 jours", "dans un délai de trois mois", "within 5 days",
	// "sous 48 heures"; not "dans les 8 jours de la libération", counted
	// from another event
	{regexp.MustCompile(`(?i)(?:sous|dans un délai de|d['’]un délai de|dans les|within|in)\s+(\d{1,3}|` + countPattern + `)\s*(jours?|days?|heures?|h\b|hours?|semaines?|weeks?|mois|months?)(\s+(?:de la|du|des|de l['’]|suivant|à compter|après|after|of the)\b)?`),
		func(m []string, ref time.Time) time.Time {
			if m[3] != "" {
				return time.Time{}
			}
			n, err := strconv.Atoi(m[1])
			if err != nil {
				n = counts[strings.ToLower(m[1])]
			}
			switch u := strings.ToLower(m[2]); {
			case strings.HasPrefix(u, "h"):
				return day(ref).AddDate(0, 0, (n+23)/24)
			case strings.HasPrefix(u, "s"), strings.HasPrefix(u, "w"):
				return day(ref).AddDate(0, 0, 7*n)
			case strings.HasPrefix(u, "m"):
				return day(ref).AddDate(0, n, 0)
			}
			return day(ref).AddDate(0, 0, n)
		}},
	// "vendredi soir", "mardi prochain", "Friday next": a weekday without a preposition
	{regexp.MustCompile(`(?i)\b(` + calendar.WeekdayPattern + `)\s+(?:prochain|soir|matin|midi|après-midi|next)\b`),
		func(m []string, ref time.Time) time.Time {
			wd, _ := calendar.Weekday(m[1])
			return nextWeekday(ref, wd)
		}},
	// "dès aujourd'hui", "dès ce soir", "today"
	{regexp.MustCompile(`(?i)(?:dès |d['’]ici |avant )?(?:aujourd['’]hui|ce soir|today|tonight)`),
		func(_ []string, ref time.Time) time.Time { return day(ref) }},
	// "avant la séance": the day is the meeting's, when the message names it
	{regexp.MustCompile(`(?i)(?:avant|d['’]ici) (?:la|le) (?:séance|réunion|conseil|comité|commission)`),
		func(_ []string, _ time.Time) time.Time { return time.Time{} }},
	// "d'ici vendredi", "avant lundi prochain", "by Friday"
	{regexp.MustCompile(`(?i)(?:d'ici|d’ici|avant|pour|jusqu'à|by|before|until|on)\s+(` + calendar.WeekdayPattern + `)(?:\s+(?:prochain|next))?`),
		func(m []string, ref time.Time) time.Time {
			wd, _ := calendar.Weekday(m[1])
			return nextWeekday(ref, wd)
		}},
	{regexp.MustCompile(`(?i)après-demain|day after tomorrow`),
		func(_ []string, ref time.Time) time.Time { return day(ref).AddDate(0, 0, 2) }},
	{regexp.MustCompile(`(?i)\b(demain|tomorrow)\b`),
		func(_ []string, ref time.Time) time.Time { return day(ref).AddDate(0, 0, 1) }},
	// "d'ici la fin du mois", "by the end of the month"
	{regexp.MustCompile(`(?i)fin (?:du|de ce) mois|end of (?:the|this) month`),
		func(_ []string, ref time.Time) time.Time { return lastOfMonth(ref.Year(), ref.Month()) }},
	// "fin juin", "end of June"
	{regexp.MustCompile(`(?i)(?:fin|end of)\s+(` + calendar.MonthPattern + `)`),
		func(m []string, ref time.Time) time.Time {
			mo, _ := calendar.Month(m[1])
			y := ref.Year()
			if mo < ref.Month() {
				y++
			}
			return lastOfMonth(y, mo)
		}},
	// approximate: a text without a day
	{regexp.MustCompile(`(?i)(?:la )?semaine prochaine|next week|dès que possible|au plus vite|as soon as possible|asap`),
		func(_ []string, _ time.Time) time.Time { return time.Time{} }},
}

// counts are the numbers written in words that durations use.
var counts = map[string]int{"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
	"dix": 10, "quinze": 15, "trente": 30, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}

// countPattern matches a key of counts.
const countPattern = `un|une|deux|trois|quatre|cinq|six|sept|huit|dix|quinze|trente|one|two|three|four|five|ten`

// findDeadline returns the first deadline stated in s.
func findDeadline(s string, ref time.Time) (deadline, bool) {
	best, bestAt := deadline{}, -1
	for _, r := range deadlineRules {
		loc := r.re.FindStringSubmatchIndex(s)
		if loc == nil || (bestAt >= 0 && loc[0] >= bestAt) {
			continue
		}
		m := make([]string, len(loc)/2)
		for i := range m {
			if loc[2*i] >= 0 {
				m[i] = s[loc[2*i]:loc[2*i+1]]
			}
		}
		var due time.Time
		if !ref.IsZero() {
			due = r.fn(m, ref)
		}
		best, bestAt = deadline{text: strings.TrimSpace(m[0]), due: due}, loc[0]
	}
	return best, bestAt >= 0
}

func day(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

func lastOfMonth(y int, m time.Month) time.Time { return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC) }

// nextWeekday is the first given weekday strictly after ref.
func nextWeekday(ref time.Time, wd time.Weekday) time.Time {
	d := (int(wd) - int(ref.Weekday()) + 7) % 7
	if d == 0 {
		d = 7
	}
	return day(ref).AddDate(0, 0, d)
}

// dayMonth builds a date; without a year, the next such date on or after
// the reference (tolerating one month back for late reminders).
func dayMonth(d, month, year string, ref time.Time) time.Time {
	mo, ok := calendar.Month(month)
	if !ok {
		return time.Time{}
	}
	dd, _ := strconv.Atoi(d)
	return buildDate(dd, int(mo), year, ref)
}

func dayMonthNum(d, m, year string, ref time.Time) time.Time {
	dd, _ := strconv.Atoi(d)
	mm, _ := strconv.Atoi(m)
	return buildDate(dd, mm, year, ref)
}

func buildDate(dd, mm int, year string, ref time.Time) time.Time {
	if mm < 1 || mm > 12 || dd < 1 || dd > 31 {
		return time.Time{}
	}
	y := ref.Year()
	if year != "" {
		y, _ = strconv.Atoi(year)
		if y < 100 {
			y += 2000
		}
	}
	t := time.Date(y, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if t.Day() != dd {
		return time.Time{} // 31 June
	}
	if year == "" && t.Before(day(ref).AddDate(0, -1, 0)) {
		t = t.AddDate(1, 0, 0)
	}
	return t
}

// isoDate formats a due date, "" for zero.
func isoDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}
