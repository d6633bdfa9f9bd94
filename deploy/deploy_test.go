// Package deploy holds what operators install Plume with — the systemd unit,
// the Kubernetes manifests, the HAProxy example, the container recipe — and
// the tests that check them: each file against its own tool's checker, and
// two real replicas behind the HAProxy example sharing a real Redis.
package deploy

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/plume-admin/plume/internal/testenv"
)

// imageUID is the numeric user the image runs as (deploy/Containerfile),
// and the pods (deploy/k8s/deployment.yaml).
const imageUID = 65532

var tmpDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "plume-deploy-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	tmpDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// built is the plume binary built once for the package's tests.
var built struct {
	once sync.Once
	path string
	err  error
	out  []byte
}

// plumeBinary builds cmd/plume once, with the test's own build settings so
// that the packages compiled for the tests are reused, and returns its path.
// (The image's static build is checked by TestImage.)
func plumeBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		built.path = filepath.Join(tmpDir, "plume")
		cmd := exec.Command("go", "build", "-o", built.path, "./cmd/plume")
		cmd.Dir = testenv.RepoRoot()
		built.out, built.err = cmd.CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("go build ./cmd/plume: %v\n%s", built.err, built.out)
	}
	return built.path
}
