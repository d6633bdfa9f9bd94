package thunderbird

import (
	"context"
	"testing"
	"time"

	"github.com/plume-admin/plume/internal/testenv"
)

func TestSmokeLaunch(t *testing.T) {
	testenv.RequireBinary(t, "thunderbird", "make deps installs Debian's thunderbird", binary)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	dir := t.TempDir()
	port, _ := freePort()
	if err := writeProfile(dir, port, nil, nil); err != nil {
		t.Fatal(err)
	}
	in, err := start(ctx, dir, port)
	if err != nil {
		t.Fatal(err)
	}
	defer in.quit()
	v, err := in.m.script(false, `return Services.appinfo.version`, nil, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Thunderbird %s", v)
}
