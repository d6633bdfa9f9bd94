// Package testenv decides what integration tests do when a real component
// (Dovecot, Chromium, Thunderbird, node) is missing: skip with a visible
// message on a developer's machine, fail when PLUME_REQUIRE_INTEGRATION=1 (CI).
package testenv

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// Required reports whether integration suites must run (PLUME_REQUIRE_INTEGRATION=1).
func Required() bool { return os.Getenv("PLUME_REQUIRE_INTEGRATION") == "1" }

// Missing skips t, or fails it when integration is required, naming what is
// missing and how to install it.
func Missing(t testing.TB, what, install string) {
	t.Helper()
	msg := what + " is not available (" + install + ")"
	if Required() {
		t.Fatalf("integration required (PLUME_REQUIRE_INTEGRATION=1): %s", msg)
	}
	t.Skipf("SKIP integration: %s", msg)
}

// LookPath returns the path of an executable, looking also in the given
// extra locations (absolute paths), or "" when absent.
func LookPath(name string, extra ...string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, p := range extra {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

// RequireBinary returns the path of name or calls Missing.
func RequireBinary(t testing.TB, name, install string, extra ...string) string {
	t.Helper()
	p := LookPath(name, extra...)
	if p == "" {
		Missing(t, name, install)
	}
	return p
}

// RepoRoot returns the repository root (the folder holding go.mod).
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// NodeModules returns tools/node/node_modules, or calls Missing when the
// npm packages are not installed (make deps installs them).
func NodeModules(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(RepoRoot(), "tools", "node", "node_modules")
	if _, err := os.Stat(dir); err != nil {
		Missing(t, "npm packages in tools/node", "run make deps")
	}
	return dir
}

// FreePort returns a TCP port free on 127.0.0.1 at the time of the call.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
