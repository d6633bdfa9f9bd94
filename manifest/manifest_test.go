package manifest

import (
	"bytes"
	"errors"
	"testing"
)

const testBase = "https://plume.example.gouv.fr"

// testOpts is a production-like configuration with every optional part on.
var testOpts = Options{
	BaseURL:       testBase,
	EntraClientID: "6f1c8a4e-2b7d-4c1e-9a3f-0d5e7b9c1a2f",
	OIDCIssuer:    "https://sso.example.gouv.fr/realms/agents",
	Version:       "0.3.1-dev",
}

var resolveCases = []struct {
	name  string
	opts  Options
	err   error
	check func(t *testing.T, r *resolved)
}{
	{"zero value", Options{}, nil, func(t *testing.T, r *resolved) {
		if r.BaseURL != defaultBaseURL || r.DisplayName != "Plume" || r.MinMailbox != "1.9" || r.StrictMinVersion != "128.0" {
			t.Errorf("defaults not applied: %+v", r.Options)
		}
		if r.GeckoID != "plume@127.0.0.1" || !guidRE.MatchString(r.AppID) {
			t.Errorf("derived ids: gecko %q app %q", r.GeckoID, r.AppID)
		}
		if r.EntraResource != "" || len(r.EntraScopes) != 0 {
			t.Errorf("Entra settings without a client id: %q %v", r.EntraResource, r.EntraScopes)
		}
	}},
	{"trailing slash and dev version", Options{BaseURL: testBase + "/", Version: "0.3.1-dev"}, nil, func(t *testing.T, r *resolved) {
		if r.BaseURL != testBase || r.version4 != "0.3.1.0" || r.version3 != "0.3.1" || r.Version != "0.3.1" {
			t.Errorf("got %q %q %q %q", r.BaseURL, r.version4, r.version3, r.Version)
		}
	}},
	{"entra resource derived from host", Options{BaseURL: "https://plume.example.gouv.fr:8443", EntraClientID: testOpts.EntraClientID}, nil, func(t *testing.T, r *resolved) {
		if r.EntraResource != "api://plume.example.gouv.fr:8443/"+testOpts.EntraClientID {
			t.Errorf("resource %q", r.EntraResource)
		}
	}},
	{"four-part version", Options{Version: "2.1.0.7"}, nil, func(t *testing.T, r *resolved) {
		if r.version4 != "2.1.0.7" || r.version3 != "2.1.0" {
			t.Errorf("got %q %q", r.version4, r.version3)
		}
	}},
	{"not a URL", Options{BaseURL: "plume.example.gouv.fr"}, ErrBaseURL, nil},
	{"ftp", Options{BaseURL: "ftp://plume.example.gouv.fr"}, ErrBaseURL, nil},
	{"query", Options{BaseURL: testBase + "/?x=1"}, ErrBaseURL, nil},
	{"bad app id", Options{AppID: "plume"}, ErrOption, nil},
	{"bad entra id", Options{EntraClientID: "plume"}, ErrOption, nil},
	{"bad version", Options{Version: "v1"}, ErrOption, nil},
	{"bad mailbox", Options{MinMailbox: "2"}, ErrOption, nil},
	{"bad gecko id", Options{GeckoID: "plume"}, ErrOption, nil},
	{"long name", Options{DisplayName: "Plume, l'assistant de messagerie de l'administration"}, ErrOption, nil},
	{"bad support url", Options{SupportURL: "mailto:support@example.gouv.fr"}, ErrOption, nil},
	{"plain http off loopback", Options{BaseURL: "http://plume.example.gouv.fr"}, ErrBaseURL, nil},
	{"plain http on loopback", Options{BaseURL: "http://127.0.0.1:8080"}, nil, nil},
	{"plain http on localhost", Options{BaseURL: "http://localhost:8080"}, nil, nil},
	{"plain http oidc issuer", Options{BaseURL: "https://plume.example.gouv.fr", OIDCIssuer: "http://sso.example.gouv.fr/realms/agents"}, ErrOption, nil},
	{"plain http update url", Options{BaseURL: "https://plume.example.gouv.fr", UpdateURL: "http://plume.example.gouv.fr/updates.json"}, ErrOption, nil},
}

func TestResolve(t *testing.T) {
	for _, c := range resolveCases {
		t.Run(c.name, func(t *testing.T) {
			r, err := c.opts.resolve()
			if !errors.Is(err, c.err) {
				t.Fatalf("err = %v, want %v", err, c.err)
			}
			if c.check != nil {
				c.check(t, r)
			}
		})
	}
}

func TestDerivedGUIDStable(t *testing.T) {
	a, b := derivedGUID(testBase), derivedGUID(testBase)
	if a != b || a == derivedGUID("https://autre.example.gouv.fr") {
		t.Fatalf("derived GUIDs: %s %s", a, b)
	}
	if !guidRE.MatchString(a) || a[14] != '5' {
		t.Fatalf("not a version 5 UUID: %s", a)
	}
}

// TestDeterministic: the server and `plume manifest` must produce the same bytes.
func TestDeterministic(t *testing.T) {
	for name, gen := range generators {
		a, err := gen(testOpts)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := gen(testOpts)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two runs differ", name)
		}
	}
}

var generators = map[string]func(Options) ([]byte, error){
	"outlook":     Outlook,
	"unified":     Unified,
	"package":     OutlookPackage,
	"thunderbird": Thunderbird,
	"tbmanifest":  ThunderbirdManifest,
}

func TestOutlookNeedsHTTPS(t *testing.T) {
	for _, name := range []string{"outlook", "unified", "package"} {
		if _, err := generators[name](Options{}); !errors.Is(err, ErrInsecure) {
			t.Errorf("%s with the http demo URL: err = %v, want ErrInsecure", name, err)
		}
	}
	for _, name := range []string{"thunderbird", "tbmanifest"} {
		if _, err := generators[name](Options{}); err != nil {
			t.Errorf("%s with the zero Options: %v", name, err)
		}
	}
}
