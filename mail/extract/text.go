package extract

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// decodeText turns bytes into UTF-8: a BOM wins, then valid UTF-8, then
// Windows-1252 when its C1 range is used, else ISO-8859-15. It returns a
// note naming the charset when it had to guess.
func decodeText(data []byte) (string, string) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return string(data[3:]), ""
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		s, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err == nil {
			return string(s), ""
		}
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		s, err := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err == nil {
			return string(s), ""
		}
	}
	if utf8.Valid(data) {
		return string(data), ""
	}
	c1 := false
	for _, c := range data {
		if c >= 0x80 && c <= 0x9F {
			c1 = true
			break
		}
	}
	if c1 {
		s, _ := charmap.Windows1252.NewDecoder().Bytes(data)
		return string(s), "jeu de caractères supposé : Windows-1252"
	}
	s, _ := charmap.ISO8859_15.NewDecoder().Bytes(data)
	return string(s), "jeu de caractères supposé : ISO-8859-15"
}

// decodeCounted counts data against the budget and decodes it in its
// detected charset; a guessed charset is noted on doc.
func decodeCounted(b *budget, data []byte, doc *Document) (string, error) {
	if err := b.add(len(data)); err != nil {
		return "", err
	}
	text, note := decodeText(data)
	if note != "" {
		doc.Notes = append(doc.Notes, note)
	}
	return text, nil
}

// readTXT reads plain text in its detected charset.
func readTXT(b *budget, data []byte, doc *Document) error {
	text, err := decodeCounted(b, data, doc)
	if err != nil {
		return err
	}
	doc.Text = text
	return nil
}

// readCSV reads a CSV file as a table, guessing the separator (; , tab)
// and capping rows at Limits.MaxRows.
func readCSV(b *budget, data []byte, doc *Document) error {
	text, err := decodeCounted(b, data, doc)
	if err != nil {
		return err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = guessComma(text)
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	var rows [][]string
	dropped := 0
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// not really CSV: keep the text as it is
			doc.Notes = append(doc.Notes, "CSV irrégulier : texte gardé tel quel")
			doc.Text = text
			return nil
		}
		if len(rows) >= b.lim.MaxRows {
			dropped++
			continue
		}
		if len(rec) > maxCols {
			rec = rec[:maxCols]
		}
		rows = append(rows, rec)
	}
	w := &writer{b: b}
	w.table(rows)
	if dropped > 0 {
		doc.Skipped = append(doc.Skipped, "lignes au-delà de "+itoa(b.lim.MaxRows)+" non lues ("+itoa(dropped)+")")
	}
	doc.Sheets = 1
	doc.Text = w.String()
	return nil
}

// guessComma picks the separator that splits the first lines most evenly.
func guessComma(text string) rune {
	lines := strings.SplitN(text, "\n", 6)
	if len(lines) > 5 {
		lines = lines[:5]
	}
	best, bestScore := ',', -1
	for _, sep := range []rune{';', ',', '\t', '|'} {
		n := -1
		score := 0
		for _, l := range lines {
			if strings.TrimSpace(l) == "" {
				continue
			}
			c := strings.Count(l, string(sep))
			if n < 0 {
				n = c
			}
			if c > 0 && c == n {
				score += c + 1
			}
		}
		if score > bestScore {
			best, bestScore = sep, score
		}
	}
	return best
}
