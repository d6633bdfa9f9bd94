package wire

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plume-admin/plume/config"
)

func TestExampleConfigBuilds(t *testing.T) {
	env := map[string]string{"PLUME_PRIVACY_AUDIT_PATH": "off"}
	cfg, err := config.Load(filepath.Join("..", "..", "plume.example.yaml"), env)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Auth.Issuers) == 0 || len(cfg.LLM.Endpoints) == 0 || len(cfg.Actions) == 0 {
		t.Fatalf("example lacks issuers, endpoints or actions: %+v", cfg)
	}
	// Everything builds from it (nothing connects before the first request).
	srv, closeAll, err := FromConfig(cfg, Deps{Env: env})
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll()
	if srv == nil {
		t.Fatal("no server")
	}
}

func TestGraphCertificateFileIsRead(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "plume.yaml")
	yaml := "auth: {demo: true}\nprivacy: {audit_path: 'off'}\nmail: {source: graph, graph: {client_id: c, cert_file: " + filepath.Join(dir, "missing.pem") + ", key_file: " + filepath.Join(dir, "missing.key") + "}}\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	_, closeAll, err := FromConfig(cfg, Deps{})
	if err == nil {
		closeAll()
		t.Fatal("a missing certificate file must stop the server at start")
	}
	if !strings.Contains(err.Error(), "mail.graph.cert_file") {
		t.Errorf("error %q does not name mail.graph.cert_file", err)
	}
}
