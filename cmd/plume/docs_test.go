package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// The README is the two-minute entry point; the detail lives in docs/.
const readmeMaxLines = 200

// TestDocsREADMELength keeps README.md short enough to read in two minutes.
func TestDocsREADMELength(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(b, []byte("\n")); n > readmeMaxLines {
		t.Errorf("README.md has %d lines, at most %d: move the detail to docs/", n, readmeMaxLines)
	}
	for _, cmd := range []string{"go run ./cmd/plume demo", "make test"} {
		if !bytes.Contains(b[:min(len(b), 400)], []byte(cmd)) {
			t.Errorf("README.md does not start with %q", cmd)
		}
	}
}

// TestDocsLinks checks every relative link of README.md and docs/*.md: the
// file exists and, for a link into a Markdown file, the #anchor names one of
// its headings (GitHub's slugs).
func TestDocsLinks(t *testing.T) {
	files, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "../../README.md")
	slugs := map[string]map[string]bool{}
	headingsOf := func(path string) map[string]bool {
		if s, ok := slugs[path]; ok {
			return s
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		slugs[path] = markdownSlugs(string(b))
		return slugs[path]
	}
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(stripCode(string(b)), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			path, anchor, _ := strings.Cut(target, "#")
			resolved := f
			if path != "" {
				resolved = filepath.Join(filepath.Dir(f), path)
				if _, err := os.Stat(resolved); err != nil {
					t.Errorf("%s: link %q: %s does not exist", filepath.Base(f), target, path)
					continue
				}
			}
			if anchor != "" && strings.HasSuffix(resolved, ".md") && !headingsOf(resolved)[anchor] {
				t.Errorf("%s: link %q: no heading with anchor #%s in %s", filepath.Base(f), target, anchor, filepath.Base(resolved))
			}
		}
	}
}

// stripCode removes fenced code blocks, where ](…) is not a link.
func stripCode(s string) string {
	var out strings.Builder
	fence := false
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fence = !fence
			continue
		}
		if !fence {
			out.WriteString(line)
			out.WriteByte('\n')
		}
	}
	return out.String()
}

// markdownSlugs returns the anchors GitHub gives the headings of a Markdown
// text: lower case, punctuation dropped, spaces to hyphens, "-1", "-2"… for
// repeats.
func markdownSlugs(s string) map[string]bool {
	seen := map[string]int{}
	out := map[string]bool{}
	for _, line := range strings.Split(stripCode(s), "\n") {
		if !strings.HasPrefix(line, "#") {
			continue
		}
		text := strings.TrimLeft(line, "#")
		if !strings.HasPrefix(text, " ") {
			continue
		}
		var b strings.Builder
		for _, r := range strings.ToLower(strings.TrimSpace(text)) {
			switch {
			case r == ' ':
				b.WriteByte('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				b.WriteRune(r)
			}
		}
		slug := b.String()
		if n := seen[slug]; n > 0 {
			out[slug+"-"+strconv.Itoa(n)] = true
		} else {
			out[slug] = true
		}
		seen[slug]++
	}
	return out
}
