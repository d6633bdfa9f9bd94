package manifest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/plume-admin/plume/internal/testenv"
)

// nodeTool finds node and one npm package of tools/node, or skips (fails
// in CI) when either is missing.
func nodeTool(t *testing.T, pkg string) (node, modules string) {
	t.Helper()
	node = testenv.RequireBinary(t, "node", "apt-get install nodejs")
	modules = testenv.NodeModules(t)
	if _, err := os.Stat(filepath.Join(modules, pkg, "package.json")); err != nil {
		testenv.Missing(t, "npm package "+pkg, "add it to tools/node/package.json and run make deps")
	}
	return node, modules
}

// runNode runs node with NODE_PATH set to the test tools and returns its
// standard output and whether it exited with status 0.
func runNode(t *testing.T, node, modules string, args ...string) ([]byte, bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("node %v: %v\n%s", args, err, errb.String())
		}
		t.Logf("node stderr: %s", errb.String())
	}
	return out.Bytes(), err == nil
}

// validateJSONSchema validates files against a schema of
// @microsoft/app-manifest with ajv (testdata/validate.cjs).
func validateJSONSchema(t *testing.T, schema string, files ...string) {
	t.Helper()
	node, modules := nodeTool(t, "@microsoft/app-manifest")
	nodeTool(t, "ajv-draft-04")
	nodeTool(t, "ajv-formats")
	path := filepath.Join(modules, "@microsoft", "app-manifest", "build", "json-schemas", "teams", "v"+UnifiedVersion, schema)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("schema %s not shipped by the installed @microsoft/app-manifest: %v", path, err)
	}
	script, err := filepath.Abs(filepath.Join("testdata", "validate.cjs"))
	if err != nil {
		t.Fatal(err)
	}
	out, ok := runNode(t, node, modules, append([]string{script, path}, files...)...)
	if !ok {
		t.Fatalf("%s: schema validation failed:\n%s", schema, out)
	}
}
