package manifest

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"testing"
)

// FuzzOptions: whatever an administrator writes in plume.yaml, the
// generators either refuse it with a manifest error or produce well-formed
// XML and valid JSON (no injection through names, URLs or ids).
func FuzzOptions(f *testing.F) {
	f.Add(testBase, "Plume", "Préfecture du Nord", "1.2.3", "", "")
	f.Add(testBase+"/sous/chemin", `"><Evil/>`, "A & B <c>", "0.1.0-dev", testOpts.EntraClientID, `x"y`)
	f.Add("https://[::1]:8443", "\x00\x01", "\xff\xfe", "99999.99999.99999.99999", "6F1C8A4E-2B7D-4C1E-9A3F-0D5E7B9C1A2F", "api://x")
	f.Fuzz(func(t *testing.T, base, name, provider, version, entraID, resource string) {
		o := Options{BaseURL: base, DisplayName: name, ProviderName: provider, Version: version, EntraClientID: entraID, EntraResource: resource}
		check := func(what string, b []byte, err error) []byte {
			if err != nil {
				if !errors.Is(err, ErrBaseURL) && !errors.Is(err, ErrOption) && !errors.Is(err, ErrInsecure) {
					t.Fatalf("%s: unexpected error %v", what, err)
				}
				return nil
			}
			return b
		}
		b, err := Outlook(o)
		if b := check("outlook", b, err); b != nil {
			dec := xml.NewDecoder(bytes.NewReader(b))
			for {
				if _, err := dec.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Fatalf("outlook: not well-formed: %v\n%s", err, b)
				}
			}
		}
		for what, gen := range map[string]func(Options) ([]byte, error){"unified": Unified, "thunderbird": ThunderbirdManifest} {
			b, err := gen(o)
			if b := check(what, b, err); b != nil && !json.Valid(b) {
				t.Fatalf("%s: invalid JSON\n%s", what, b)
			}
		}
	})
}
