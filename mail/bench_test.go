package mail_test

import (
	"testing"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/mailtest"
)

// The same inputs are parsed by enmime in bench/ for comparison.

func benchmarkChain(b *testing.B, style mailtest.Style) {
	chain := mailtest.Chain(style, 20)
	var size int64
	for _, g := range chain {
		size += int64(len(g.Raw))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, g := range chain {
			if _, err := mail.Parse(g.Raw, mail.Limits{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkParseChain20Outlook parses and cleans a 20-message Outlook reply chain.
func BenchmarkParseChain20Outlook(b *testing.B) { benchmarkChain(b, mailtest.Outlook) }

// BenchmarkParseChain20Thunderbird parses and cleans a 20-message Thunderbird reply chain.
func BenchmarkParseChain20Thunderbird(b *testing.B) { benchmarkChain(b, mailtest.Thunderbird) }

// BenchmarkParseLarge10MB parses a 10 MB message with three attachments.
func BenchmarkParseLarge10MB(b *testing.B) {
	raw := mailtest.Large(10 << 20)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		m, err := mail.Parse(raw, mail.Limits{})
		if err != nil {
			b.Fatal(err)
		}
		if len(m.Attachments) != 3 {
			b.Fatalf("attachments = %d", len(m.Attachments))
		}
	}
}
