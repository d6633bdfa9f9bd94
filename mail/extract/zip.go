package extract

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// pkg is an opened zip package (OOXML or ODF) read under a budget.
type pkg struct {
	b     *budget
	files map[string]*zip.File
	order []string
}

func openZip(b *budget, data []byte) (*pkg, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%w: archive zip: %w", ErrMalformed, err)
	}
	if len(zr.File) > b.lim.MaxEntries {
		return nil, fmt.Errorf("%w: %d entrées dans l'archive (maximum %d)", ErrTooLarge, len(zr.File), b.lim.MaxEntries)
	}
	p := &pkg{b: b, files: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		name := strings.TrimPrefix(f.Name, "/")
		if _, dup := p.files[name]; !dup {
			p.order = append(p.order, name)
		}
		p.files[name] = f
	}
	return p, nil
}

// has reports whether the package holds the entry.
func (p *pkg) has(name string) bool { _, ok := p.files[name]; return ok }

// open returns a reader of one entry that counts decompressed bytes
// against the budget, whatever the zip header claims.
func (p *pkg) open(name string) (io.ReadCloser, error) {
	f, ok := p.files[name]
	if !ok {
		return nil, fmt.Errorf("%w: entrée %q absente", ErrMalformed, name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: entrée %q: %w", ErrMalformed, name, err)
	}
	return &countingReader{r: rc, c: rc, b: p.b}, nil
}

// read returns the whole decompressed entry.
func (p *pkg) read(name string) ([]byte, error) {
	rc, err := p.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, zipErr(name, err)
	}
	return data, nil
}

// walk calls fn on each token of one XML entry, in order, until the end
// of the entry or the first error, of the reader or of fn.
func (p *pkg) walk(name string, fn func(xml.Token) error) error {
	x, err := p.xml(name)
	if err != nil {
		return err
	}
	defer x.Close()
	for {
		tok, err := x.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(tok); err != nil {
			return err
		}
	}
}

// skippedImages notes, when there are any, the pictures that were not read.
func (d *Document) skippedImages(n int) {
	if n > 0 {
		d.Skipped = append(d.Skipped, strconv.Itoa(n)+" image(s) ou objet(s) graphique(s)")
	}
}

// skippedRows notes the rows of a sheet read past the row cap.
func (d *Document) skippedRows(sheet string, rowCap, n int) {
	d.Skipped = append(d.Skipped, fmt.Sprintf("feuille %q : lignes au-delà de %d non lues (%d)", sheet, rowCap, n))
}

// xml returns a token decoder over one entry.
func (p *pkg) xml(name string) (*xmlReader, error) {
	rc, err := p.open(name)
	if err != nil {
		return nil, err
	}
	return newXMLReader(rc, p.b, name), nil
}

func zipErr(name string, err error) error {
	if errors.Is(err, ErrTooLarge) || errors.Is(err, ErrMalformed) {
		return err
	}
	return fmt.Errorf("%w: entrée %q: %w", ErrMalformed, name, err)
}

// rels reads an OPC relationships part: id → absolute target.
func (p *pkg) rels(part string) (map[string]string, error) {
	dir, file := path.Split(part)
	relsName := dir + "_rels/" + file + ".rels"
	out := map[string]string{}
	if !p.has(relsName) {
		return out, nil
	}
	err := p.walk(relsName, func(tok xml.Token) error {
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "Relationship" {
			if attr(se, "TargetMode") == "External" {
				return nil
			}
			t := attr(se, "Target")
			if strings.HasPrefix(t, "/") {
				t = strings.TrimPrefix(t, "/")
			} else {
				t = path.Clean(dir + t)
			}
			out[attr(se, "Id")] = t
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// countingReader counts decompressed bytes and stops past the budget.
type countingReader struct {
	r io.Reader
	c io.Closer
	b *budget
}

func (c *countingReader) Read(p []byte) (int, error) {
	if err := c.b.check(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	if e := c.b.add(n); e != nil {
		return n, e
	}
	return n, err
}

func (c *countingReader) Close() error {
	if c.c != nil {
		return c.c.Close()
	}
	return nil
}

// readEntryLimited reads at most max bytes of a zip entry.
func readEntryLimited(f *zip.File, max int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: entrée %q: %w", ErrMalformed, f.Name, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, max))
	if err != nil {
		return nil, fmt.Errorf("%w: entrée %q: %w", ErrMalformed, f.Name, err)
	}
	return data, nil
}

// xmlReader is a token decoder that caps nesting depth.
type xmlReader struct {
	d     *xml.Decoder
	c     io.Closer
	depth int
	name  string
}

func newXMLReader(r io.ReadCloser, b *budget, name string) *xmlReader {
	d := xml.NewDecoder(r)
	d.Strict = false
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) { return in, nil }
	return &xmlReader{d: d, c: r, name: name}
}

func (x *xmlReader) Close() error { return x.c.Close() }

// next returns the next token; elements nested deeper than maxDepth fail.
func (x *xmlReader) next() (xml.Token, error) {
	tok, err := x.d.RawToken()
	if err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		return nil, zipErr(x.name, err)
	}
	switch tok.(type) {
	case xml.StartElement:
		x.depth++
		if x.depth > maxDepth {
			return nil, fmt.Errorf("%w: imbrication XML trop profonde dans %q", ErrTooLarge, x.name)
		}
	case xml.EndElement:
		x.depth--
	}
	return tok, nil
}

// attr returns the value of the attribute with the given local name.
func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// attrNS returns the value of the attribute with the given prefix and local name.
func attrNS(se xml.StartElement, space, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local && a.Name.Space == space {
			return a.Value
		}
	}
	return ""
}
