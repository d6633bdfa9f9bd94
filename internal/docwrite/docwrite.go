// Package docwrite writes office documents — DOCX, ODT, XLSX, ODS, PPTX,
// ODP, PDF and RTF — from a small structured model. The demo mailbox
// attaches them, and the tests of package extract read them back; hostile
// documents (zip bombs, scans, encrypted files) are built from these in
// mail/extract/extracttest, which only tests import.
//
// # Example
//
//	d := docwrite.Doc{Blocks: []docwrite.Block{
//		docwrite.Heading(1, "Arrêté préfectoral"),
//		docwrite.Para("Le préfet de la Somme arrête :"),
//		docwrite.List("premier point", "second point"),
//		docwrite.Table([]string{"Pièce", "Fournie"}, []string{"Kbis", "oui"}),
//	}}
//	pdfBytes := docwrite.PDF(d)
//	docxBytes := docwrite.DOCX(d)
package docwrite

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"io"
	"time"
)

// BlockKind tells what a [Block] is.
type BlockKind int

// Kinds of blocks.
const (
	KindPara BlockKind = iota
	KindHeading
	KindList
	KindTable
)

// Block is one heading, paragraph, list or table.
type Block struct {
	Kind  BlockKind
	Level int        // heading level, 1–6
	Text  string     // heading or paragraph text
	Items []string   // list items
	Rows  [][]string // table rows, the first one is the header
	Style string     // paragraph or table style of the styled writers (styled.go)
	// Numbered makes a list numbered (1., 2., …) instead of bulleted (DOCX, ODT).
	Numbered bool
	// Note is a footnote called at the end of a paragraph (DOCX, ODT).
	Note string
	// Comment is a reviewer's comment on a paragraph (DOCX, ODT).
	Comment string
	// Inserted and Deleted are tracked changes at the end of a paragraph:
	// text a reviewer added, text a reviewer removed (DOCX, ODT).
	Inserted, Deleted string
}

// Doc is a text document: a title and blocks.
type Doc struct {
	Title  string
	Blocks []Block
	// Header and Footer are the page header and footer (DOCX, ODT).
	Header, Footer string
}

// Heading returns a heading block.
func Heading(level int, text string) Block { return Block{Kind: KindHeading, Level: level, Text: text} }

// Para returns a paragraph block.
func Para(text string) Block { return Block{Kind: KindPara, Text: text} }

// List returns a bulleted list block.
func List(items ...string) Block { return Block{Kind: KindList, Items: items} }

// Table returns a table block.
func Table(rows ...[]string) Block { return Block{Kind: KindTable, Rows: rows} }

// Sheet is one spreadsheet sheet.
type Sheet struct {
	Name string
	Rows [][]string
	// Formats gives number format codes by cell reference ("B2" → "0.00",
	// "C2" → "dd/mm/yyyy"); those cells hold the raw number (XLSX).
	Formats map[string]string
}

// Slide is one presentation slide.
type Slide struct {
	Title   string
	Bullets []string
	Notes   string
}

// Entry is one file of a zip archive.
type Entry struct {
	Name string
	Data []byte
	// Store writes the entry uncompressed (ODF's mimetype).
	Store bool
}

// fixedTime keeps generated archives byte-identical across runs.
var fixedTime = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Zip writes entries into a zip archive.
func Zip(entries ...Entry) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	for _, e := range entries {
		m := zip.Deflate
		if e.Store {
			m = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.Name, Method: m, Modified: fixedTime})
		if err != nil {
			panic(err)
		}
		if _, err := w.Write(e.Data); err != nil {
			panic(err)
		}
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// ReadEntry returns the bytes of one entry of a zip archive.
func ReadEntry(archive []byte, name string) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		return nil, err
	}
	f, err := zr.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// ReplaceEntry returns archive with the named entry's bytes replaced.
func ReplaceEntry(archive []byte, name string, data []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		return nil, err
	}
	var entries []Entry
	for _, f := range zr.File {
		b := data
		if f.Name != name {
			rc, err := f.Open()
			if err != nil {
				return nil, err
			}
			b, err = io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return nil, err
			}
		}
		entries = append(entries, Entry{Name: f.Name, Data: b, Store: f.Method == zip.Store})
	}
	return Zip(entries...), nil
}
