package deploy

import (
	"archive/tar"
	"debug/elf"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/plume-admin/plume/internal/testenv"
)

// imageMaxBytes is the size the image must stay under.
const imageMaxBytes = 80 << 20

// TestImage builds the image as `make image` does and checks what is in it
// without starting it (containers cannot be started on the build machines):
// its configuration with `podman image inspect`, its files with `podman
// save`, and the binary it holds, run on the host.
func TestImage(t *testing.T) {
	podman := testenv.RequireBinary(t, "podman", "make deps installs podman")
	tag := fmt.Sprintf("localhost/plume-test:%d", os.Getpid())
	build := exec.Command("bash", "scripts/image.sh", tag)
	build.Dir = testenv.RepoRoot()
	build.Env = append(os.Environ(), "ENGINE="+podman, "VERSION=0.0.0-test")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("make image: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command(podman, "rmi", "--force", tag).Run() })

	out, err := exec.Command(podman, "image", "inspect", tag).Output()
	if err != nil {
		t.Fatalf("podman image inspect: %v", err)
	}
	var inspect []struct {
		Size   int64
		Config struct {
			User         string
			Entrypoint   []string
			Cmd          []string
			Env          []string
			ExposedPorts map[string]any
			Volumes      map[string]any
			Labels       map[string]string
		}
	}
	if err := json.Unmarshal(out, &inspect); err != nil || len(inspect) != 1 {
		t.Fatalf("podman image inspect: %v\n%s", err, out)
	}
	img := inspect[0]
	c := img.Config
	checks := []struct {
		what      string
		got, want any
	}{
		{"user", c.User, fmt.Sprintf("%d:%d", imageUID, imageUID)},
		{"entrypoint", strings.Join(c.Entrypoint, " "), "/plume"},
		{"command", strings.Join(c.Cmd, " "), "serve --config /etc/plume/plume.yaml"},
		{"exposed port", c.ExposedPorts["8080/tcp"] != nil, true},
		{"audit volume", c.Volumes["/var/log/plume"] != nil, true},
		{"PDF engine cache volume", c.Volumes["/var/cache/plume"] != nil, true},
		{"PDF engine cache", slices.Contains(c.Env, "XDG_CACHE_HOME=/var/cache"), true},
		{"time zone", slices.Contains(c.Env, "TZ=Europe/Paris"), true},
		{"version label", c.Labels["org.opencontainers.image.version"], "0.0.0-test"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.what, ch.got, ch.want)
		}
	}
	if img.Size >= imageMaxBytes {
		t.Errorf("image is %d MB, want under %d MB", img.Size>>20, imageMaxBytes>>20)
	}
	t.Logf("image %s: %.1f MB", tag, float64(img.Size)/(1<<20))

	files := imageFiles(t, podman, tag)
	for path, owner := range map[string]int{
		"plume": 0, "etc/ssl/certs/ca-certificates.crt": 0, "usr/share/zoneinfo/Europe/Paris": 0,
		"etc/plume/": 0, "var/log/plume/": imageUID, "var/cache/plume/": imageUID,
	} {
		h, ok := files[path]
		if !ok {
			t.Errorf("image lacks /%s", path)
			continue
		}
		if h.Uid != owner {
			t.Errorf("/%s belongs to %d, want %d", path, h.Uid, owner)
		}
	}
	for path, h := range files {
		top, _, _ := strings.Cut(path, "/")
		if !slices.Contains([]string{"plume", "etc", "usr", "var"}, top) {
			t.Errorf("unexpected /%s in the image", path)
		}
		// Nothing but the two volumes is writable by the image's user.
		if path != "var/log/plume/" && path != "var/cache/plume/" && (h.Uid == imageUID || h.Mode&0o022 != 0 && h.Typeflag != tar.TypeSymlink) {
			t.Errorf("/%s is writable by the image's user (uid %d, mode %o)", path, h.Uid, h.Mode)
		}
	}
	if _, ok := files["bin/sh"]; ok {
		t.Error("the image has a shell")
	}
}

// imageFiles returns the headers of the files of the image's layers, by
// path without the leading slash (folders end with a slash), and extracts
// /plume to check it: static, and working on the host.
func imageFiles(t *testing.T, podman, tag string) map[string]*tar.Header {
	t.Helper()
	dir := t.TempDir()
	archive := filepath.Join(dir, "image.tar")
	if out, err := exec.Command(podman, "save", "--format", "docker-archive", "-o", archive, tag).CombinedOutput(); err != nil {
		t.Fatalf("podman save: %v\n%s", err, out)
	}
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The archive holds manifest.json and one tar per layer.
	layers := map[string][]byte{}
	var manifest []struct{ Layers []string }
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if h.Name == "manifest.json" {
			if err := json.Unmarshal(b, &manifest); err != nil {
				t.Fatal(err)
			}
		} else {
			layers[h.Name] = b
		}
	}
	if len(manifest) != 1 || len(manifest[0].Layers) == 0 {
		t.Fatalf("podman save: manifest %+v", manifest)
	}
	files := map[string]*tar.Header{}
	bin := filepath.Join(dir, "plume")
	for _, l := range manifest[0].Layers {
		lr := tar.NewReader(strings.NewReader(string(layers[l])))
		for {
			h, err := lr.Next()
			if err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("layer %s: %v", l, err)
			}
			name := strings.TrimPrefix(strings.TrimPrefix(h.Name, "./"), "/")
			if name == "" {
				continue
			}
			files[name] = h
			if name == "plume" {
				b, err := io.ReadAll(lr)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(bin, b, 0o755); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	checkImageBinary(t, bin)
	return files
}

// checkImageBinary: the image's plume is static and runs on the host.
func checkImageBinary(t *testing.T, bin string) {
	t.Helper()
	ef, err := elf.Open(bin)
	if err != nil {
		t.Fatalf("/plume: %v", err)
	}
	defer ef.Close()
	for _, p := range ef.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("/plume is dynamically linked; the image has no libc")
		}
	}
	if out, err := exec.Command(bin, "version").Output(); err != nil || strings.TrimSpace(string(out)) != "plume 0.0.0-test" {
		t.Errorf("/plume version: %q, %v", out, err)
	}
	check := exec.Command(bin, "config", "check", "--config", filepath.Join(testenv.RepoRoot(), "plume.example.yaml"))
	check.Env = []string{"PLUME_PRIVACY_AUDIT_PATH=off", "ALBERT_API_KEY=k"}
	if out, err := check.CombinedOutput(); err != nil {
		t.Errorf("/plume config check on the example: %v\n%s", err, out)
	}
}
