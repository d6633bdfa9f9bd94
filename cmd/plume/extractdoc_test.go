package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plume-admin/plume/internal/docwrite"
	"github.com/plume-admin/plume/mail/extract/extracttest"
)

var extractDocTests = []struct {
	name string
	data func() []byte
	code int
	// check inspects the JSON form.
	check func(t *testing.T, o documentOutput)
}{
	{"arrete.docx", func() []byte {
		d := extracttest.Sample()
		d.Header = "DIFFUSION RESTREINTE"
		return docwrite.DOCX(d)
	}, 0, func(t *testing.T, o documentOutput) {
		if o.Format != "docx" || len(o.Headings) < 3 || o.Headings[0].Level != 1 || len(o.Tables) != 1 || o.Tables[0].Header[0] != "Pièce" {
			t.Errorf("structure: format %q, headings %v, tables %v", o.Format, o.Headings, o.Tables)
		}
		if len(o.Markings) == 0 || !strings.Contains(o.Text, "En-tête : DIFFUSION RESTREINTE") {
			t.Errorf("the marking of the header is not reported: %v", o.Markings)
		}
	}},
	{"detr.xlsx", func() []byte { return docwrite.XLSX(extracttest.SampleSheets()...) }, 0, func(t *testing.T, o documentOutput) {
		if o.Sheets != 2 || len(o.Tables) != 2 || o.Tables[0].Rows != 3 || o.Tables[0].Columns != 4 {
			t.Errorf("sheets %d, tables %+v", o.Sheets, o.Tables)
		}
	}},
	{"protege.docx", extracttest.EncryptedOOXML, 1, func(t *testing.T, o documentOutput) {
		if len(o.Warnings) != 1 || o.Warnings[0] != "protected" || o.Error == "" {
			t.Errorf("warnings %v, error %q", o.Warnings, o.Error)
		}
	}},
	{"abime.pdf", extracttest.DamagedPDF, 0, func(t *testing.T, o documentOutput) {
		if len(o.Warnings) != 1 || o.Warnings[0] != "damaged" || !strings.Contains(o.Text, "Section 3") {
			t.Errorf("warnings %v, error %q, text %.100q", o.Warnings, o.Error, o.Text)
		}
	}},
	{"scan.pdf", func() []byte { return extracttest.ScannedPDF(1) }, 1, func(t *testing.T, o documentOutput) {
		if len(o.Warnings) != 1 || o.Warnings[0] != "scanned" {
			t.Errorf("warnings %v, error %q", o.Warnings, o.Error)
		}
	}},
}

func TestExtractDocument(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range extractDocTests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			if err := os.WriteFile(path, tt.data(), 0o600); err != nil {
				t.Fatal(err)
			}
			var out, errOut bytes.Buffer
			if code := runExtract([]string{"--json", path}, nil, &out, &errOut); code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.code, errOut.String())
			}
			var o documentOutput
			if err := json.Unmarshal(out.Bytes(), &o); err != nil {
				t.Fatalf("JSON: %v\n%s", err, out.String())
			}
			tt.check(t, o)
			out.Reset()
			runExtract([]string{path}, nil, &out, &errOut)
			if !strings.HasPrefix(out.String(), "Document : "+tt.name) {
				t.Errorf("text form:\n%s", out.String())
			}
		})
	}
}
