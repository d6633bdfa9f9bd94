package main

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// testHelper matches the packages that exist for tests: they must never be
// linked into the binary (the demo included).
var testHelper = regexp.MustCompile(`test($|/)|testenv|imaptest|mailtest|extracttest|graphtest|fakellm`)

func TestBinaryHasNoTestHelpers(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go tool not found")
	}
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if testHelper.MatchString(p) {
			t.Errorf("plume links test helper %s", p)
		}
	}
}
