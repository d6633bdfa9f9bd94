package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var manifestCmdCases = []struct {
	name  string
	args  []string
	code  int
	files []string
}{
	{"all", []string{"all", "--base-url", "https://plume.example.gouv.fr"}, 0, []string{"manifest.xml", "manifest.json", "outlook-app.zip", "plume.xpi"}},
	{"thunderbird demo", []string{"thunderbird"}, 0, []string{"plume.xpi"}},
	{"outlook over http", []string{"outlook"}, 1, nil},
	{"unknown kind", []string{"word"}, 2, nil},
	{"no kind", nil, 2, nil},
}

func TestManifestCommand(t *testing.T) {
	for _, c := range manifestCmdCases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			args := c.args
			if len(args) > 0 {
				args = append(append([]string{}, args...), "-o", dir)
			}
			var out, errb bytes.Buffer
			if code := runManifest(args, nil, &out, &errb); code != c.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, c.code, errb.String())
			}
			for _, f := range c.files {
				if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
					t.Errorf("%s not written: %v", f, err)
				}
			}
		})
	}
}

func TestManifestCommandConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "plume.yaml")
	yaml := "server:\n  public_url: https://mail-ia.example.gouv.fr\nmanifest:\n  provider_name: Préfecture du Nord\n  app_id: 0b2a5a1a-d424-5ac2-bece-e14f3387de92\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := runManifest([]string{"outlook", "--config", cfg, "--provider", "DINUM", "-o", dir}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "manifest.xml"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{"https://mail-ia.example.gouv.fr/panel/outlook.html", "<ProviderName>DINUM</ProviderName>", "<Id>0b2a5a1a-d424-5ac2-bece-e14f3387de92</Id>"} {
		if !strings.Contains(s, want) {
			t.Errorf("manifest.xml lacks %s", want)
		}
	}
}
