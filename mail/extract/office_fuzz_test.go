package extract_test

import (
	"testing"

	"github.com/plume-admin/plume/internal/docwrite"
)

// Outlook messages join the fuzz targets of fuzz_test.go, fuzzed whole.
func init() {
	type target = struct {
		fuzz, format, name, mediaType string
		seeds                         func(testing.TB) [][]byte
	}
	fuzzTargets = append(fuzzTargets,
		target{"FuzzMSG", "msg", "f.msg", "application/vnd.ms-outlook", func(t testing.TB) [][]byte {
			m := outlookMail()
			m.Attachments[0].Data = []byte("petit fichier")
			m.Attachments[0].Name, m.Attachments[0].MediaType = "note.txt", "text/plain"
			return [][]byte{
				docwrite.MSG(m),
				docwrite.MSG(*m.Attachments[1].Msg),
				docwrite.CFB(docwrite.Node{Name: "__properties_version1.0", Data: make([]byte, 48)}),
			}
		}},
	)
}

func FuzzMSG(f *testing.F) { runFuzz(f, "FuzzMSG") }

// FuzzDOCXReviewed fuzzes the body of a document whose notes, comments,
// header, footer and numbering parts stay valid, so that the calls to
// them are exercised.
func FuzzDOCXReviewed(f *testing.F) {
	base := docwrite.DOCX(reviewed())
	f.Add(partOf(f, base, "word/document.xml"))
	f.Fuzz(func(t *testing.T, part []byte) {
		data, err := docwrite.ReplaceEntry(base, "word/document.xml", part)
		if err != nil {
			t.Fatal(err)
		}
		checkExtract(t, "f.docx", "", data)
	})
}
