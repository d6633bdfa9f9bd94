package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/extract"
	"github.com/plume-admin/plume/privacy"
)

// documentOutput is the stable JSON form of `plume extract --json
// DOCUMENT` (documented in docs/cli.md, "plume extract").
type documentOutput struct {
	// The document: name, mediaType, format, text, pages, sheets, slides,
	// skipped, notes (absent when it could not be read).
	*extract.Document
	// File is the name of the file read.
	File string `json:"file"`
	// Headings are the document's headings in order.
	Headings []docHeading `json:"headings"`
	// Tables are the document's tables in order.
	Tables []docTable `json:"tables"`
	// Mails counts the messages read inside the document (.eml, .msg).
	Mails int `json:"mails,omitempty"`
	// Markings are the protection markings found in the text and in the mails inside.
	Markings []mail.Marking `json:"markings"`
	// Warnings name what a reader must know: scanned (no text layer, even
	// by OCR), ocr (some text read by OCR), protected, damaged (broken
	// parts skipped: text may be missing), truncated, unsupported.
	Warnings []string `json:"warnings"`
	// Error is the reason the document could not be read, if so.
	Error string `json:"error,omitempty"`
}

type docHeading struct {
	Level int    `json:"level"`
	Text  string `json:"text"`
}

type docTable struct {
	Rows    int      `json:"rows"`
	Columns int      `json:"columns"`
	Header  []string `json:"header"`
}

// isDocument reports whether a file is a document for `plume extract`
// rather than mail (.eml, mbox): by its extension, else by its first bytes.
func isDocument(name string, data []byte) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".pdf", ".docx", ".doc", ".odt", ".ods", ".odp", ".xlsx", ".xls", ".pptx", ".ppt",
		".rtf", ".msg", ".csv", ".tsv", ".html", ".htm", ".txt":
		return true
	case ".eml", ".mbox", ".mbx":
		return false
	}
	for _, magic := range []string{"%PDF-", "PK\x03\x04", "\xD0\xCF\x11\xE0", `{\rtf`} {
		if strings.HasPrefix(string(data[:min(len(data), 8)]), magic) {
			return true
		}
	}
	return false
}

// extractDocument prints what Plume reads from a document; exit 1 when
// it cannot be read.
func extractDocument(name string, data []byte, asJSON bool, stdout, stderr io.Writer) int {
	out := documentOutput{File: filepath.Base(name), Headings: []docHeading{}, Tables: []docTable{}, Warnings: []string{}, Markings: []mail.Marking{}}
	startPDFEngine()
	doc, err := extract.Extract(context.Background(), out.File, "", data, extract.Limits{Timeout: time.Minute, Queue: true})
	if err != nil {
		out.Error = err.Error()
		out.Warnings = append(out.Warnings, warningOf(err))
	} else {
		out.Document, out.Mails = doc, len(doc.Mails)
		out.Headings, out.Tables = structure(doc.Text)
		if doc.OCR {
			out.Warnings = append(out.Warnings, "ocr")
		}
		if doc.Damaged {
			out.Warnings = append(out.Warnings, "damaged")
		}
		for _, s := range doc.Skipped {
			if strings.Contains(s, "non lues") || strings.Contains(s, "au-delà") {
				out.Warnings = append(out.Warnings, "truncated")
				break
			}
		}
		d, err := privacy.NewDetector(privacy.MarkingOptions{})
		if err != nil {
			fmt.Fprintln(stderr, "plume extract:", err)
			return 1
		}
		out.Markings = append(out.Markings, d.Text("attachment:"+out.File, doc.Text)...)
		if len(doc.Mails) > 0 {
			out.Markings = append(out.Markings, d.Thread(&mail.Thread{Messages: doc.Mails})...)
		}
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(stderr, "plume extract:", err)
			return 1
		}
	} else {
		printDocument(stdout, out)
	}
	if out.Error != "" {
		fmt.Fprintln(stderr, "plume extract:", out.Error)
		return 1
	}
	return 0
}

// warningOf names the reason a document could not be read.
func warningOf(err error) string {
	switch {
	case errors.Is(err, extract.ErrNoText):
		return "scanned"
	case errors.Is(err, extract.ErrProtected):
		return "protected"
	case errors.Is(err, extract.ErrMalformed):
		return "damaged"
	case errors.Is(err, extract.ErrTooLarge):
		return "truncated"
	}
	return "unsupported"
}

// structure finds the headings ("# …") and tables ("| … |" rows) of extracted text.
func structure(text string) (headings []docHeading, tables []docTable) {
	headings, tables = []docHeading{}, []docTable{}
	inTable := false
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "|") {
			cells := strings.Split(strings.Trim(line, "|"), "|")
			for i := range cells {
				cells[i] = strings.TrimSpace(cells[i])
			}
			if !inTable {
				tables = append(tables, docTable{Header: cells})
			}
			t := &tables[len(tables)-1]
			t.Rows++
			t.Columns = max(t.Columns, len(cells))
			inTable = true
			continue
		}
		inTable = false
		level := len(line) - len(strings.TrimLeft(line, "#"))
		if level > 0 && level <= 6 && strings.HasPrefix(line[level:], " ") {
			headings = append(headings, docHeading{level, strings.TrimSpace(line[level:])})
		}
	}
	return headings, tables
}

func printDocument(w io.Writer, o documentOutput) {
	fmt.Fprintf(w, "Document : %s", o.File)
	doc := o.Document
	if doc == nil {
		doc = &extract.Document{}
	} else {
		fmt.Fprintf(w, " (%s)", doc.Format)
	}
	fmt.Fprintln(w)
	for _, c := range []struct {
		label string
		n     int
	}{{"pages", doc.Pages}, {"feuilles", doc.Sheets}, {"diapositives", doc.Slides}, {"messages lus", o.Mails}} {
		if c.n > 0 {
			fmt.Fprintf(w, "%s : %d\n", c.label, c.n)
		}
	}
	if len(o.Warnings) > 0 {
		fmt.Fprintf(w, "avertissements : %s\n", strings.Join(o.Warnings, ", "))
	}
	if len(o.Markings) > 0 {
		fmt.Fprintf(w, "marquages : %s\n", labels(o.Markings))
	}
	if len(o.Headings) > 0 {
		fmt.Fprintln(w, "titres :")
		for _, h := range o.Headings {
			fmt.Fprintf(w, "  %s%s\n", strings.Repeat("  ", h.Level-1), h.Text)
		}
	}
	for i, t := range o.Tables {
		fmt.Fprintf(w, "tableau %d : %d lignes × %d colonnes (%s)\n", i+1, t.Rows, t.Columns, strings.Join(t.Header, " | "))
	}
	for _, s := range doc.Skipped {
		fmt.Fprintf(w, "non lu : %s\n", s)
	}
	for _, s := range doc.Notes {
		fmt.Fprintf(w, "note : %s\n", s)
	}
	if doc.Text != "" {
		fmt.Fprintf(w, "--- texte ---\n%s\n", doc.Text)
	}
}
