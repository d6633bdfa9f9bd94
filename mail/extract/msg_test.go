package extract_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/plume-admin/plume/internal/docwrite"
	"github.com/plume-admin/plume/internal/testenv"
	"github.com/plume-admin/plume/mail/extract"
	"github.com/plume-admin/plume/mail/extract/extracttest"
	"github.com/plume-admin/plume/privacy"
)

// outlookMail is a .msg as Outlook saves one dragged from a mailbox: a
// plain-text body, a Word attachment, and a forwarded message whose body
// is compressed RTF and whose Internet headers carry a marking.
func outlookMail() docwrite.Msg {
	return docwrite.Msg{
		Subject: "Dossier ERP — commission du 12 mars", FromName: "Claire Martin", FromAddr: "claire.martin@somme.gouv.fr",
		To:   []string{"sidpc@somme.gouv.fr"},
		Body: "Bonjour,\r\nvous trouverez ci-joint l'arrêté et l'avis du SDIS.\r\nCordialement",
		Attachments: []docwrite.MsgAttachment{
			{Name: "arrêté.docx", MediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Data: docwrite.DOCX(extracttest.Sample())},
			{Name: "Avis SDIS.msg", Msg: &docwrite.Msg{
				Subject: "Avis du SDIS",
				Headers: "From: sdis80@sdis80.fr\r\nTo: claire.martin@somme.gouv.fr\r\nSubject: Avis du SDIS\r\nX-Classification: DIFFUSION RESTREINTE\r\nContent-Type: multipart/alternative; boundary=x\r\n",
				RTF:     `{\rtf1\ansi\deff0 {\fonttbl {\f0 Arial;}}\f0 Avis d\'e9favorable du SDIS : issues de secours insuffisantes.\par}`,
			}},
		},
	}
}

func TestMSG(t *testing.T) {
	doc, err := extract.Extract(context.Background(), "dossier.msg", "application/vnd.ms-outlook", docwrite.MSG(outlookMail()), extract.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != "msg" {
		t.Errorf("Format = %q, want msg", doc.Format)
	}
	for _, w := range []string{
		"De : Claire Martin <claire.martin@somme.gouv.fr>", "Objet : Dossier ERP — commission du 12 mars",
		"vous trouverez ci-joint l'arrêté", "## Pièce jointe : arrêté.docx", "Arrêté préfectoral n° 2026-0412",
		"Objet : Avis du SDIS", "Avis défavorable du SDIS : issues de secours insuffisantes.",
	} {
		if !strings.Contains(doc.Text, w) {
			t.Errorf("text lacks %q; got:\n%s", w, doc.Text)
		}
	}
	if len(doc.Mails) != 2 {
		t.Fatalf("Mails = %d, want the message and the attached one", len(doc.Mails))
	}
	det, err := privacy.NewDetector(privacy.MarkingOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ms := det.Message(doc.Mails[1]); len(ms) == 0 {
		t.Errorf("no marking found in the attached message %q", doc.Mails[1].Subject)
	}
	if ms := det.Message(doc.Mails[0]); len(ms) != 0 {
		t.Errorf("markings %v found in the outer message", ms)
	}
}

func TestMSGCorpus(t *testing.T) {
	for _, c := range []struct{ file, want string }{
		{"unicode.msg", "Brian Zhou"},
		{"strangeDate.msg", "John Doe"},
	} {
		data := corpusFile(t, "msg", c.file)
		doc, err := extract.Extract(context.Background(), c.file, "", data, extract.Limits{})
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if !strings.Contains(doc.Text, c.want) || len(doc.Mails) == 0 {
			t.Errorf("%s: text lacks %q or no mail read:\n%.400s", c.file, c.want, doc.Text)
		}
	}
}

func TestMSGHostile(t *testing.T) {
	good := docwrite.MSG(outlookMail())
	loop := append([]byte(nil), good...)
	// Make the first FAT entry after the FAT sector point to itself: a loop.
	copy(loop[512+4:], []byte{1, 0, 0, 0})
	lost := append([]byte(nil), good...)
	copy(lost[0x30:], []byte{0xFF, 0x7F, 0, 0}) // the directory past the end
	for _, c := range []struct {
		name string
		data []byte
		lim  extract.Limits
		want error
	}{
		{"loop.msg", loop, extract.Limits{}, extract.ErrMalformed},
		{"lost.msg", lost, extract.Limits{}, extract.ErrMalformed},
		{"cut.msg", good[:700], extract.Limits{}, extract.ErrUnsupported},
		{"small.msg", good, extract.Limits{MaxBytes: 4000}, extract.ErrTooLarge},
	} {
		_, err := extract.Extract(context.Background(), c.name, "", c.data, c.lim)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
}

func TestLegacyOffice(t *testing.T) {
	doc := docwrite.CFB(docwrite.Node{Name: "WordDocument", Data: make([]byte, 600)})
	_, err := extract.Extract(context.Background(), "ancien.doc", "", doc, extract.Limits{})
	if !errors.Is(err, extract.ErrUnsupported) && !errors.Is(err, extract.ErrMalformed) {
		t.Fatalf("err = %v, want unsupported (no LibreOffice) or malformed", err)
	}
	if errors.Is(err, extract.ErrNoConverter) && !strings.Contains(err.Error(), "libreoffice-writer-nogui") {
		t.Errorf("refusal does not say how to install LibreOffice: %v", err)
	}
}

// TestLegacyDOC converts the sample to Word 97 with LibreOffice, then reads
// the .doc back through LibreOffice.
func TestLegacyDOC(t *testing.T) {
	soffice := testenv.RequireBinary(t, "soffice", "apt install libreoffice-writer-nogui")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "arrete.docx"), docwrite.DOCX(extracttest.Sample()), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "p"),
		"--convert-to", "doc", "--outdir", dir, filepath.Join(dir, "arrete.docx"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v: %s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "arrete.doc"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := extract.Extract(context.Background(), "arrete.doc", "", data, extract.Limits{Timeout: 60 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != "doc" {
		t.Errorf("Format = %q, want doc", doc.Format)
	}
	for _, w := range sampleWants {
		if !strings.Contains(strings.Join(strings.Fields(doc.Text), " "), w) {
			t.Errorf("text lacks %q; got:\n%s", w, doc.Text)
		}
	}
}
