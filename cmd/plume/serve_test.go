package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestServeRejectsBadConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plume.yaml")
	if err := os.WriteFile(path, []byte("mail: {source: pop3}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := runServe([]string{"--config", path}, nil, &out, &errb); code != 1 || !strings.Contains(errb.String(), "mail.source") || !strings.Contains(errb.String(), "auth.issuers") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
}

func TestServeRefusesDemoAuth(t *testing.T) {
	_, err := loadServeConfig("", map[string]string{"PLUME_AUTH_DEMO": "true"})
	if err == nil || !strings.Contains(err.Error(), "auth.demo") {
		t.Fatalf("err = %v", err)
	}
}
