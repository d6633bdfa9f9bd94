package extract

import (
	"testing"
	"unicode/utf8"
)

// FuzzNumberFormat runs spreadsheet format codes on values: no panic, valid text.
func FuzzNumberFormat(f *testing.F) {
	for _, s := range [][2]string{
		{"44197", "dd/mm/yyyy"}, {"6.2555199999999989", "0.00"}, {"0.125", "0.0%"},
		{"-1234.5", `#,##0.00 "€";[Red]-#,##0.00 "€"`}, {"1.75", "[h]:mm:ss"}, {"123456", "0.00E+00"},
		{"44197.5", "dddd d mmmm yyyy hh:mm:ss.000 AM/PM"}, {"1", `[$€-40C]\ #,##0_);"x"@*-`}, {"1e308", "[]0"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, v, code string) {
		if out := formatCell(v, code, false); !utf8.ValidString(out) && utf8.ValidString(v) && utf8.ValidString(code) {
			t.Fatalf("invalid UTF-8 %q from %q under %q", out, v, code)
		}
	})
}
