package deploy

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/plume-admin/plume/config"
	"github.com/plume-admin/plume/internal/testenv"
)

// TestSystemdUnit: systemd's own checker finds nothing to say about the
// unit, its exposure score stays low, and it gives the server time to drain.
func TestSystemdUnit(t *testing.T) {
	analyze := testenv.RequireBinary(t, "systemd-analyze", "apt-get install systemd")
	unit, err := os.ReadFile("systemd/plume.service")
	if err != nil {
		t.Fatal(err)
	}
	// verify checks that the binary exists: point the unit at the real one.
	path := filepath.Join(t.TempDir(), "plume.service")
	if err := os.WriteFile(path, bytes.ReplaceAll(unit, []byte("/usr/local/bin/plume"), []byte(plumeBinary(t))), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(analyze, "verify", path).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
	// Exposure 0.0 (locked down) to 10.0 (none); threshold 20 means 2.0.
	if out, err := exec.Command(analyze, "security", "--offline=yes", "--threshold=20", path).CombinedOutput(); err != nil {
		t.Fatalf("systemd-analyze security: exposure above 2.0: %v\n%s", err, out)
	}
	for _, want := range []string{"DynamicUser=yes", "ProtectSystem=strict", "NoNewPrivileges=yes", "PrivateTmp=yes",
		"CapabilityBoundingSet=\n", "LogsDirectory=plume", "ExecStart=/usr/local/bin/plume serve --config /etc/plume/plume.yaml"} {
		if !bytes.Contains(unit, []byte(want)) {
			t.Errorf("unit lacks %q", want)
		}
	}
	stop := regexp.MustCompile(`(?m)^TimeoutStopSec=(\d+)s$`).FindSubmatch(unit)
	if stop == nil {
		t.Fatal("no TimeoutStopSec")
	}
	d := defaults(t)
	if n, _ := strconv.Atoi(string(stop[1])); time.Duration(n)*time.Second <= d.Server.DrainDelay+d.Server.ShutdownTimeout {
		t.Errorf("TimeoutStopSec=%ss does not cover drain_delay %s + shutdown_timeout %s", stop[1], d.Server.DrainDelay, d.Server.ShutdownTimeout)
	}
}

// defaults is the configuration with every default applied.
func defaults(t *testing.T) *config.Config {
	t.Helper()
	c := &config.Config{}
	c.Defaults()
	return c
}

// k8sObject is one object of deploy/k8s, with the file it came from.
type k8sObject struct {
	File   string         `json:"file"`
	Object map[string]any `json:"object"`
}

// k8sObjects reads every object of deploy/k8s.
func k8sObjects(t *testing.T) []k8sObject {
	t.Helper()
	files, err := filepath.Glob("k8s/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests: %v", err)
	}
	var objs []k8sObject
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var o map[string]any
			if err := dec.Decode(&o); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if o != nil {
				objs = append(objs, k8sObject{File: filepath.Base(f), Object: o})
			}
		}
	}
	return objs
}

// TestKubernetesSchemas validates every manifest against the Kubernetes
// API's JSON schemas (npm package kubernetes-models, offline).
func TestKubernetesSchemas(t *testing.T) {
	node := testenv.RequireBinary(t, "node", "apt-get install nodejs")
	modules := testenv.NodeModules(t)
	if _, err := os.Stat(filepath.Join(modules, "kubernetes-models", "package.json")); err != nil {
		testenv.Missing(t, "npm package kubernetes-models", "run make deps")
	}
	in, err := json.Marshal(k8sObjects(t))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, filepath.Join("testdata", "k8svalidate.cjs"))
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("schema validation: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}

// TestKubernetesDeployment checks what the schemas cannot: the probes hit
// Plume's routes, the grace period covers the drain, the mounted
// configuration passes plume config check, the pod runs as the image's user.
func TestKubernetesDeployment(t *testing.T) {
	var dep, cm map[string]any
	kinds := map[string]bool{}
	for _, o := range k8sObjects(t) {
		kind, _ := o.Object["kind"].(string)
		name, _ := get(o.Object, "metadata", "name").(string)
		kinds[kind] = true
		switch {
		case kind == "Deployment" && name == "plume":
			dep = o.Object
		case kind == "ConfigMap" && name == "plume-config":
			cm = o.Object
		}
	}
	for _, k := range []string{"Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler", "ConfigMap", "Secret", "NetworkPolicy", "Ingress"} {
		if !kinds[k] {
			t.Errorf("no %s in deploy/k8s", k)
		}
	}
	if dep == nil || cm == nil {
		t.Fatal("no Deployment plume or ConfigMap plume-config")
	}
	c := get(dep, "spec", "template", "spec", "containers").([]any)[0]
	for probe, path := range map[string]string{"readinessProbe": "/readyz", "livenessProbe": "/healthz"} {
		if got := get(c, probe, "httpGet", "path"); got != path {
			t.Errorf("%s path = %v, want %s", probe, got, path)
		}
	}
	if u := get(dep, "spec", "template", "spec", "securityContext", "runAsUser"); u != imageUID {
		t.Errorf("runAsUser = %v, want the image's user %d", u, imageUID)
	}
	if ro := get(c, "securityContext", "readOnlyRootFilesystem"); ro != true {
		t.Error("root filesystem is not read-only")
	}

	// The mounted plume.yaml, with the Secret's variables and the volume.
	path := filepath.Join(t.TempDir(), "plume.yaml")
	if err := os.WriteFile(path, []byte(get(cm, "data", "plume.yaml").(string)), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"PLUME_PRIVACY_AUDIT_PATH": filepath.Join(t.TempDir(), "audit.jsonl")}
	for _, o := range k8sObjects(t) {
		if o.Object["kind"] == "Secret" {
			for k, v := range get(o.Object, "stringData").(map[string]any) {
				env[k] = v.(string)
			}
		}
	}
	cfg, _, err := config.Check(path, env)
	if err != nil {
		t.Fatalf("the ConfigMap's plume.yaml fails plume config check:\n%v", err)
	}
	grace := time.Duration(get(dep, "spec", "template", "spec", "terminationGracePeriodSeconds").(int)) * time.Second
	if need := cfg.Server.DrainDelay + cfg.Server.ShutdownTimeout; grace <= need {
		t.Errorf("terminationGracePeriodSeconds %s does not cover drain_delay + shutdown_timeout = %s", grace, need)
	}
	if cfg.Server.ShutdownTimeout < cfg.Server.StreamTimeout {
		t.Errorf("shutdown_timeout %s cuts streams shorter than stream_timeout %s", cfg.Server.ShutdownTimeout, cfg.Server.StreamTimeout)
	}
	if cfg.Cache.RedisURL == "" {
		t.Error("replicas without cache.redis_url")
	}
}

// get walks nested maps by keys; nil when a key is missing.
func get(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// haproxyExample returns deploy/haproxy/haproxy.cfg with each old string
// (which must occur exactly once) replaced by its new one.
func haproxyExample(t *testing.T, oldnew ...string) string {
	t.Helper()
	b, err := os.ReadFile("haproxy/haproxy.cfg")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for i := 0; i < len(oldnew); i += 2 {
		if n := strings.Count(s, oldnew[i]); n != 1 {
			t.Fatalf("haproxy.cfg holds %q %d times, want once", oldnew[i], n)
		}
		s = strings.Replace(s, oldnew[i], oldnew[i+1], 1)
	}
	path := filepath.Join(t.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestHAProxyExample: HAProxy accepts the example (with a real certificate
// file) and warns of nothing but the example host names.
func TestHAProxyExample(t *testing.T) {
	haproxy := testenv.RequireBinary(t, "haproxy", "make deps installs haproxy", "/usr/sbin/haproxy")
	cert := filepath.Join(t.TempDir(), "plume.pem")
	if err := os.WriteFile(cert, selfSignedPEM(t), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := haproxyExample(t, "/etc/haproxy/certs/plume.pem", cert)
	out, err := exec.Command(haproxy, "-c", "-f", cfg).CombinedOutput()
	if err != nil {
		t.Fatalf("haproxy -c: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "WARNING") && !strings.Contains(line, "could not resolve address 'plume") {
			t.Errorf("haproxy -c: %s", line)
		}
	}
}

// selfSignedPEM is a self-signed certificate and its key, in one PEM file
// as HAProxy's crt wants it.
func selfSignedPEM(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "plume.test"},
		DNSNames: []string{"plume.test"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})...)
}
