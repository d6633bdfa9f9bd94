package addin

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/plume-admin/plume/config"
)

func TestPanelAndManifests(t *testing.T) {
	s, err := New(Options{Config: testConfig(t, nil)})
	if err != nil {
		t.Fatal(err)
	}
	hs := startServer(t, s)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(hs.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/panel/" {
		t.Fatalf("/ → %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp = do(t, "GET", hs.URL+"/panel/", "", "")
	if resp.StatusCode != 200 || resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Content-Security-Policy") == "" {
		t.Fatalf("/panel/ → %d, headers %v", resp.StatusCode, resp.Header)
	}
	// Only Outlook's own pages may frame the panel, not any Microsoft page.
	fa := resp.Header.Get("Content-Security-Policy")
	fa = fa[strings.Index(fa, "frame-ancestors"):]
	if !strings.Contains(fa, "https://outlook.office.com") || strings.Contains(fa, "*.microsoft.com") || strings.Contains(fa, "https://*.live.com") {
		t.Errorf("frame-ancestors: %s", fa)
	}
	// The demo's http URL is fine for Thunderbird, not for Outlook.
	resp = do(t, "GET", hs.URL+"/plume.xpi", "", "")
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("/plume.xpi → %d %s", resp.StatusCode, b)
	}
	if _, err := zip.NewReader(bytes.NewReader(b), int64(len(b))); err != nil {
		t.Fatalf("plume.xpi is not a zip: %v", err)
	}
	wantProblem(t, do(t, "GET", hs.URL+"/manifest.xml", "", ""), http.StatusNotImplemented, "not_implemented")
}

func TestOutlookManifestWithHTTPS(t *testing.T) {
	s, err := New(Options{Config: testConfig(t, func(c *config.Config) { c.Server.PublicURL = "https://plume.example.gouv.fr" })})
	if err != nil {
		t.Fatal(err)
	}
	hs := startServer(t, s)
	resp := do(t, "GET", hs.URL+"/manifest.xml", "", "")
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.Contains(b, []byte("https://plume.example.gouv.fr/panel/")) {
		t.Fatalf("/manifest.xml → %d %s", resp.StatusCode, b)
	}
}
