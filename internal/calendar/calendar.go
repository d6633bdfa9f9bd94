// Package calendar holds the names of months and weekdays that Plume writes
// and reads in mail: French for what it writes ("lundi 2 mars"), French and
// English, full, abbreviated and unaccented for what it reads ("févr.",
// "fevrier", "Feb"). Every package that names a month or a day uses it, so
// the demo mailbox, the prompts, the date rules and the name filter agree.
//
// # Example
//
//	calendar.FrenchWeekday(time.Monday) // "lundi"
//	calendar.Month("Févr")              // time.February, true
package calendar

import (
	"strings"
	"time"
)

var frenchMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

var frenchWeekdays = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}

// monthNames are the spellings Month reads, lower case: French and English,
// full and abbreviated, with and without accents.
var monthNames = map[string]time.Month{
	"janvier": 1, "janv": 1, "jan": 1, "january": 1,
	"février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "fév": 2, "feb": 2, "february": 2,
	"mars": 3, "mar": 3, "march": 3,
	"avril": 4, "avr": 4, "apr": 4, "april": 4,
	"mai": 5, "may": 5,
	"juin": 6, "jun": 6, "june": 6,
	"juillet": 7, "juil": 7, "jul": 7, "july": 7,
	"août": 8, "aout": 8, "aoû": 8, "aug": 8, "august": 8,
	"septembre": 9, "sept": 9, "sep": 9, "september": 9,
	"octobre": 10, "oct": 10, "october": 10,
	"novembre": 11, "nov": 11, "november": 11,
	"décembre": 12, "decembre": 12, "déc": 12, "dec": 12, "december": 12,
}

// weekdayNames are the spellings Weekday reads, lower case: French and
// English full names (abbreviations are left out: "mar" is March).
var weekdayNames = map[string]time.Weekday{
	"dimanche": 0, "lundi": 1, "mardi": 2, "mercredi": 3, "jeudi": 4, "vendredi": 5, "samedi": 6,
	"sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6,
}

// FrenchMonth returns the French name of m in lower case: "février".
func FrenchMonth(m time.Month) string {
	if m < time.January || m > time.December {
		return ""
	}
	return frenchMonths[m-1]
}

// FrenchWeekday returns the French name of d in lower case: "lundi".
func FrenchWeekday(d time.Weekday) string {
	if d < time.Sunday || d > time.Saturday {
		return ""
	}
	return frenchWeekdays[d]
}

// FrenchWeekdays returns the French weekday names, Sunday first.
func FrenchWeekdays() []string {
	return append([]string(nil), frenchWeekdays[:]...)
}

// Month returns the month a name stands for, French or English, full or
// abbreviated, accented or not, in any case: "Février", "fevr", "Feb".
func Month(name string) (time.Month, bool) {
	m, ok := monthNames[strings.ToLower(name)]
	return m, ok
}

// Weekday returns the day a full French or English name stands for, in any
// case: "Lundi", "friday".
func Weekday(name string) (time.Weekday, bool) {
	d, ok := weekdayNames[strings.ToLower(name)]
	return d, ok
}

// MonthPattern is a regular expression alternation of the full month names
// Month reads (French with and without accents, English), for a group such
// as `(?i)fin\s+(` + MonthPattern + `)`.
const MonthPattern = `janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|january|february|march|april|may|june|july|august|september|october|november|december`

// WeekdayPattern is a regular expression alternation of the weekday names
// Weekday reads.
const WeekdayPattern = `lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday`
