package manifest

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/plume-admin/plume/addin/thunderbird"
	"github.com/plume-admin/plume/addin/web"
	"github.com/plume-admin/plume/internal/testenv"
)

func TestThunderbirdManifest(t *testing.T) {
	b, err := ThunderbirdManifest(testOpts)
	if err != nil {
		t.Fatal(err)
	}
	var m tbManifest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	if m.ManifestVersion != 3 || m.Version != "0.3.1" {
		t.Errorf("manifest_version %d version %q", m.ManifestVersion, m.Version)
	}
	g := m.Specific.Gecko
	if g.ID != "plume@plume.example.gouv.fr" || g.StrictMinVersion != "128.0" {
		t.Errorf("gecko %+v", g)
	}
	for _, p := range []string{"messagesRead", "menus", "compose", "storage", "accountsRead", "identity", "messagesModify"} {
		if !slices.Contains(m.Permissions, p) {
			t.Errorf("permission %q missing from %v", p, m.Permissions)
		}
	}
	if !slices.Equal(m.HostPermissions, []string{testBase + "/*"}) {
		t.Errorf("host_permissions %v", m.HostPermissions)
	}
	// The header toolbar button is an icon with a tooltip: a label made it wrap to a second row.
	if m.Action.DefaultLabel != "" || m.Action.DefaultTitle != "__MSG_actionTitle__" || !bytes.Contains(b, []byte(`"default_label": ""`)) {
		t.Errorf("message_display_action label %q title %q", m.Action.DefaultLabel, m.Action.DefaultTitle)
	}
	// The « Plume » banner: a message display script and its style.
	if len(m.DisplayScripts) != 1 || !slices.Equal(m.DisplayScripts[0].JS, []string{bannerScript}) || !slices.Equal(m.DisplayScripts[0].CSS, []string{bannerStyle}) {
		t.Errorf("message_display_scripts %+v", m.DisplayScripts)
	}
	if m.ContentSecPolicy != nil {
		t.Errorf("https server with a custom CSP: %+v", m.ContentSecPolicy)
	}

	// The demo: http, no identity permission, no https upgrade.
	b, err = ThunderbirdManifest(Options{})
	if err != nil {
		t.Fatal(err)
	}
	m = tbManifest{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(m.Permissions, "identity") || m.ContentSecPolicy == nil || strings.Contains(m.ContentSecPolicy.ExtensionPages, "upgrade-insecure-requests") {
		t.Errorf("demo manifest: permissions %v csp %+v", m.Permissions, m.ContentSecPolicy)
	}
	if m.HostPermissions[0] != "http://127.0.0.1:8080/*" {
		t.Errorf("demo host permission %v", m.HostPermissions)
	}
}

var popupCases = []struct {
	name       string
	ext, panel fs.FS
	want       string
}{
	{"extension's own popup", fstest.MapFS{"thunderbird.html": {}}, fstest.MapFS{"thunderbird.html": {}, "index.html": {}}, "thunderbird.html"},
	{"panel's popup", fstest.MapFS{"background.js": {}}, fstest.MapFS{"thunderbird.html": {}, "index.html": {}}, "panel/thunderbird.html"},
	{"panel index", fstest.MapFS{}, fstest.MapFS{"index.html": {}}, "panel/index.html"},
}

func TestPopupPath(t *testing.T) {
	for _, c := range popupCases {
		t.Run(c.name, func(t *testing.T) {
			if got := popupPath(c.ext, c.panel); got != c.want {
				t.Errorf("popup %q, want %q", got, c.want)
			}
		})
	}
}

// TestXPILayout: the files are at the zip's root (not in a folder), the
// extension's and the panel's files are all there, and what manifest.json
// references exists.
func TestXPILayout(t *testing.T) {
	r, err := testOpts.resolve()
	if err != nil {
		t.Fatal(err)
	}
	ext := fstest.MapFS{"background.js": {Data: []byte("//bg")}, "manifest.json": {Data: []byte("{}")}, "lib/auth.js": {Data: []byte("//a")}}
	panel := fstest.MapFS{"index.html": {Data: []byte("<p>")}, "thunderbird.html": {Data: []byte("<p>")}, "outlook.html": {Data: []byte("<p>")}, "js/app.js": {Data: []byte("//")}, ".hidden": {}}
	b, err := r.xpi(ext, panel)
	if err != nil {
		t.Fatal(err)
	}
	files := unzip(t, b)
	for _, want := range []string{"manifest.json", "background.js", "lib/auth.js", "panel/index.html", "panel/thunderbird.html", "panel/js/app.js", "config.json", "config.js", "_locales/fr/messages.json", "_locales/en/messages.json", "icons/icon-16.png"} {
		if _, ok := files[want]; !ok {
			t.Errorf("%s missing from the .xpi", want)
		}
	}
	if _, ok := files["panel/.hidden"]; ok {
		t.Error("hidden file packaged")
	}
	if _, ok := files["panel/outlook.html"]; ok {
		t.Error("the Outlook-only page (remote office.js) packaged")
	}
	if string(files["manifest.json"]) == "{}" {
		t.Error("the extension's stray manifest.json replaced the generated one")
	}
	var m tbManifest
	if err := json.Unmarshal(files["manifest.json"], &m); err != nil {
		t.Fatal(err)
	}
	refs := []string{m.Action.DefaultPopup}
	for _, p := range m.Icons {
		refs = append(refs, p)
	}
	if m.Background != nil {
		refs = append(refs, m.Background.Scripts...)
	}
	for _, d := range m.DisplayScripts {
		refs = append(refs, append(d.JS, d.CSS...)...)
	}
	for _, p := range refs {
		if _, ok := files[p]; !ok {
			t.Errorf("manifest.json references %s, not packaged", p)
		}
	}
	if m.Action.DefaultPopup != "panel/thunderbird.html" {
		t.Errorf("popup %q", m.Action.DefaultPopup)
	}
	var cfg thunderbirdConfig
	if err := json.Unmarshal(files["config.json"], &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Server != testBase || cfg.APIBase != testBase+"/api/v1" || cfg.OIDC == nil || cfg.OIDC.ClientID != "plume-thunderbird" || cfg.OIDC.Scope != "openid profile email" {
		t.Errorf("config.json %+v", cfg)
	}
	if m.Background == nil || m.Background.Type != "module" {
		t.Errorf("background %+v: background.js is an ES module", m.Background)
	}
	assertConfigModule(t, files["config.js"], files["config.json"])
}

// TestXPIPackagesRealFiles: every file of addin/thunderbird and addin/web ends up in plume.xpi.
func TestXPIPackagesRealFiles(t *testing.T) {
	b, err := Thunderbird(testOpts)
	if err != nil {
		t.Fatal(err)
	}
	files := unzip(t, b)
	check := func(fsys fs.FS, prefix string) {
		fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") || (prefix == "" && p == "manifest.json") {
				return err
			}
			if prefix == PanelDir && p == outlookName {
				return nil
			}
			if _, ok := files[strings.TrimPrefix(prefix+"/"+p, "/")]; !ok {
				t.Errorf("%s missing from plume.xpi", p)
			}
			return nil
		})
	}
	check(thunderbird.FS, "")
	check(web.FS, PanelDir)
}

// acceptedLint are the addons-linter warnings a Thunderbird extension
// cannot avoid; any other warning, and any error, fails the test.
var acceptedLint = []struct{ code, contains string }{
	// Firefox's linter does not know Thunderbird's permissions.
	{"MANIFEST_PERMISSIONS", `"accountsRead"`},
	{"MANIFEST_PERMISSIONS", `"compose"`},
	{"MANIFEST_PERMISSIONS", `"messagesRead"`},
	{"MANIFEST_PERMISSIONS", `"messagesModify"`},
	// data_collection_permissions is an addons.mozilla.org requirement that
	// Thunderbird 128 (strict_min_version) does not know; the extension is
	// self-hosted.
	{"MISSING_DATA_COLLECTION_PERMISSIONS", ""},
}

// TestXPILint runs Mozilla's addons-linter on plume.xpi.
func TestXPILint(t *testing.T) {
	node, modules := nodeTool(t, "addons-linter")
	for name, o := range map[string]Options{"production": testOpts, "demo": {}} {
		t.Run(name, func(t *testing.T) {
			b, err := Thunderbird(o)
			if err != nil {
				t.Fatal(err)
			}
			xpi := filepath.Join(t.TempDir(), "plume.xpi")
			if err := os.WriteFile(xpi, b, 0o644); err != nil {
				t.Fatal(err)
			}
			out, _ := runNode(t, node, modules, filepath.Join(modules, "addons-linter", "bin", "addons-linter"),
				"--self-hosted", "--output", "json", "--boring", xpi)
			var report struct {
				Errors, Warnings, Notices []struct{ Code, Message, File string }
			}
			if err := json.Unmarshal(out, &report); err != nil {
				t.Fatalf("addons-linter output: %v\n%s", err, out)
			}
			for _, e := range report.Errors {
				t.Errorf("addons-linter error %s in %s: %s", e.Code, e.File, e.Message)
			}
		next:
			for _, w := range report.Warnings {
				for _, a := range acceptedLint {
					if w.Code == a.code && strings.Contains(w.Message, a.contains) {
						continue next
					}
				}
				t.Errorf("addons-linter warning %s in %s: %s", w.Code, w.File, w.Message)
			}
		})
	}
}

func TestThunderbirdRedirectURL(t *testing.T) {
	// SHA-1("plume@plume.example.gouv.fr"), computed independently with sha1sum.
	got, err := ThunderbirdRedirectURL(Options{BaseURL: testBase})
	if err != nil {
		t.Fatal(err)
	}
	if got != "https://"+sha1Hex+".extensions.allizom.org/" {
		t.Errorf("redirect URL %q", got)
	}
}

const sha1Hex = "764e1d0f04faf6b3e03f78eb0b76deb1e155d10d"

// assertConfigModule imports config.js with node, as the panel does
// (import("../../config.js")), and compares its default export with config.json.
func assertConfigModule(t *testing.T, js, jsonb []byte) {
	t.Helper()
	node := testenv.LookPath("node")
	if node == "" {
		testenv.Missing(t, "node", "apt-get install nodejs")
		return
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "config.mjs")
	if err := os.WriteFile(p, js, 0o644); err != nil {
		t.Fatal(err)
	}
	out, ok := runNode(t, node, "", "--input-type=module", "-e",
		`const m = await import(process.argv[1]); process.stdout.write(JSON.stringify(m.default))`, "file://"+p)
	if !ok {
		t.Fatalf("config.js does not load as an ES module: %s", out)
	}
	var a, b any
	if err := json.Unmarshal(out, &a); err != nil {
		t.Fatalf("config.js default export: %v: %s", err, out)
	}
	if err := json.Unmarshal(jsonb, &b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("config.js exports %v, config.json says %v", a, b)
	}
}
