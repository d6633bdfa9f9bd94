package bench

import (
	"bytes"
	"testing"

	"github.com/jhillyerd/enmime/v2"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/mailtest"
)

func chainBytes(style mailtest.Style) ([][]byte, int64) {
	var raws [][]byte
	var n int64
	for _, g := range mailtest.Chain(style, 20) {
		raws = append(raws, g.Raw)
		n += int64(len(g.Raw))
	}
	return raws, n
}

func benchPlume(b *testing.B, raws [][]byte, size int64) {
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range raws {
			if _, err := mail.Parse(r, mail.Limits{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func benchEnmime(b *testing.B, raws [][]byte, size int64) {
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range raws {
			env, err := enmime.ReadEnvelope(bytes.NewReader(r))
			if err != nil {
				b.Fatal(err)
			}
			if env.Text == "" {
				b.Fatal("enmime: no text")
			}
		}
	}
}

func BenchmarkChain20Outlook(b *testing.B) {
	raws, n := chainBytes(mailtest.Outlook)
	b.Run("plume", func(b *testing.B) { benchPlume(b, raws, n) })
	b.Run("enmime", func(b *testing.B) { benchEnmime(b, raws, n) })
}

func BenchmarkChain20Thunderbird(b *testing.B) {
	raws, n := chainBytes(mailtest.Thunderbird)
	b.Run("plume", func(b *testing.B) { benchPlume(b, raws, n) })
	b.Run("enmime", func(b *testing.B) { benchEnmime(b, raws, n) })
}

func BenchmarkLarge10MB(b *testing.B) {
	raw := mailtest.Large(10 << 20)
	raws := [][]byte{raw}
	b.Run("plume", func(b *testing.B) { benchPlume(b, raws, int64(len(raw))) })
	b.Run("enmime", func(b *testing.B) { benchEnmime(b, raws, int64(len(raw))) })
}
