package manifest

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// unzip returns name → content of a zip, failing on folders-only layouts.
func unzip(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = data
	}
	return files
}

func TestUnifiedContent(t *testing.T) {
	b, err := Unified(testOpts)
	if err != nil {
		t.Fatal(err)
	}
	var m unifiedManifest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	if m.ManifestVersion != UnifiedVersion || m.Version != "0.3.1" || m.AccentColor != "#000091" {
		t.Errorf("header: %q %q %q", m.ManifestVersion, m.Version, m.AccentColor)
	}
	assertUnifiedSemantics(t, &m, "Unified")
	rt := m.Extensions[0].Runtimes[0]
	ctl := m.Extensions[0].Ribbons[0].Tabs[0].Groups[0].Controls[0]
	if rt.ID != "TaskPaneRuntime" || ctl.ActionID != rt.Actions[0].ID {
		t.Errorf("button action %q does not open the runtime's action %q", ctl.ActionID, rt.Actions[0].ID)
	}
	for _, ic := range ctl.Icons {
		assertServedIcon(t, ic.URL)
	}
}

// TestUnifiedSchema validates manifest.json and en-us.json of the app
// package against the schemas shipped in npm @microsoft/app-manifest.
func TestUnifiedSchema(t *testing.T) {
	for name, o := range map[string]Options{"full": testOpts, "minimal": {BaseURL: testBase}} {
		t.Run(name, func(t *testing.T) {
			b, err := OutlookPackage(o)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			for n, data := range unzip(t, b) {
				if err := os.WriteFile(filepath.Join(dir, n), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			validateJSONSchema(t, "MicrosoftTeams.schema.json", filepath.Join(dir, "manifest.json"))
			validateJSONSchema(t, "MicrosoftTeams.Localization.schema.json", filepath.Join(dir, "en-us.json"))
		})
	}
}

func TestOutlookPackage(t *testing.T) {
	b, err := OutlookPackage(testOpts)
	if err != nil {
		t.Fatal(err)
	}
	files := unzip(t, b)
	if len(files) != 4 {
		t.Errorf("package holds %d files, want manifest.json, en-us.json, color.png, outline.png", len(files))
	}
	want, err := Unified(testOpts)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(files["manifest.json"], want) {
		t.Error("manifest.json in the package differs from Unified")
	}
	var m unifiedManifest
	if err := json.Unmarshal(files["manifest.json"], &m); err != nil {
		t.Fatal(err)
	}
	for file, size := range map[string]int{m.Icons.Color: 192, m.Icons.Outline: 32} {
		data, ok := files[file]
		if !ok {
			t.Errorf("icon %s referenced but not packaged", file)
			continue
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if r := img.Bounds(); r.Dx() != size || r.Dy() != size {
			t.Errorf("%s is %v, want %d×%d", file, r, size, size)
		}
	}
	var en map[string]string
	if err := json.Unmarshal(files["en-us.json"], &en); err != nil {
		t.Fatal(err)
	}
	if en["name.short"] != "Plume" || en["description.short"] != defaultDescriptionEN {
		t.Errorf("en-us.json: %v", en)
	}
}
