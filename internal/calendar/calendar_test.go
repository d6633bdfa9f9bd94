package calendar

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestPatternsAgreeWithLookups ties the regular expression alternations to
// the lookup tables: a name a rule can match is a name Month or Weekday reads,
// and every name Plume writes can be matched and read back.
func TestPatternsAgreeWithLookups(t *testing.T) {
	for _, name := range strings.Split(MonthPattern, "|") {
		if _, ok := Month(name); !ok {
			t.Errorf("MonthPattern has %q, which Month does not read", name)
		}
	}
	for _, name := range strings.Split(WeekdayPattern, "|") {
		if _, ok := Weekday(name); !ok {
			t.Errorf("WeekdayPattern has %q, which Weekday does not read", name)
		}
	}
	months := regexp.MustCompile(`(?i)^(?:` + MonthPattern + `)$`)
	for m := time.January; m <= time.December; m++ {
		for _, name := range []string{FrenchMonth(m), strings.ToUpper(FrenchMonth(m)), m.String()} {
			if got, ok := Month(name); !ok || got != m || !months.MatchString(name) {
				t.Errorf("%q: Month = %v, %v; pattern matches %v; want %v", name, got, ok, months.MatchString(name), m)
			}
		}
	}
	days := regexp.MustCompile(`(?i)^(?:` + WeekdayPattern + `)$`)
	for d := time.Sunday; d <= time.Saturday; d++ {
		for _, name := range []string{FrenchWeekday(d), FrenchWeekdays()[d], d.String()} {
			if got, ok := Weekday(name); !ok || got != d || !days.MatchString(name) {
				t.Errorf("%q: Weekday = %v, %v; pattern matches %v; want %v", name, got, ok, days.MatchString(name), d)
			}
		}
	}
}

var monthCases = []struct {
	in   string
	want time.Month
	ok   bool
}{
	{"févr", time.February, true},
	{"FEVRIER", time.February, true},
	{"aoû", time.August, true},
	{"Sept", time.September, true},
	{"déc", time.December, true},
	{"mar", time.March, true},
	{"lundi", 0, false},
	{"", 0, false},
}

func TestMonth(t *testing.T) {
	for _, tc := range monthCases {
		t.Run(tc.in, func(t *testing.T) {
			if got, ok := Month(tc.in); got != tc.want || ok != tc.ok {
				t.Errorf("Month(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestOutOfRange(t *testing.T) {
	if FrenchMonth(13) != "" || FrenchMonth(0) != "" || FrenchWeekday(7) != "" || FrenchWeekday(-1) != "" {
		t.Error("out-of-range month or weekday has a name")
	}
}
