package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/plume-admin/plume/mail/demo"
)

func TestDemoRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:8080", ":8080", "192.168.1.10:8080", "plume.example:80"} {
		var out, errb bytes.Buffer
		if code := runDemo([]string{"--listen", addr}, nil, &out, &errb); code != 2 || !strings.Contains(errb.String(), "loopback") {
			t.Errorf("--listen %s: exit %d, stderr %q", addr, code, errb.String())
		}
	}
}

func TestLoopbackAddr(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "127.0.0.1:0": true, "[::1]:8080": true, "localhost:8080": true,
		":8080": false, "0.0.0.0:8080": false, "10.0.0.1:80": false, "127.0.0.1": false,
	} {
		if got := loopbackAddr(addr); got != want {
			t.Errorf("loopbackAddr(%q) = %v", addr, got)
		}
	}
}

// plume demo's caller is the demo mailbox's owner, so replies are signed by
// him (addin's TestDemoReplySignedByMailboxOwner checks the signature).
func TestDemoConfigCallerIsMailboxOwner(t *testing.T) {
	cfg, err := demoConfig(map[string]string{}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Auth.Demo || cfg.Auth.DemoEmail != demo.OwnerAddress {
		t.Errorf("auth = %+v, want demo as %s", cfg.Auth, demo.OwnerAddress)
	}
}
