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
	rs, err := p.relationships(part)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rs))
	for _, r := range rs {
		out[r.id] = r.target
	}
	return out, nil
}

// mainPart returns the package's main part, named by the officeDocument
// relationship of _rels/.rels, or dflt.
func (p *pkg) mainPart(dflt string) (string, error) {
	rs, err := p.relationships("")
	if err != nil {
		return "", err
	}
	for _, r := range rs {
		if r.kind == "officeDocument" && p.has(r.target) {
			return r.target, nil
		}
	}
	return dflt, nil
}

// relationship is one internal relationship of an OPC part.
type relationship struct {
	id, kind, target string // kind is the last segment of the type URI ("header", "footnotes"…)
}

// relationships reads the internal relationships of a part, in order.
func (p *pkg) relationships(part string) ([]relationship, error) {
	dir, file := path.Split(part)
	relsName := dir + "_rels/" + file + ".rels"
	var out []relationship
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
			out = append(out, relationship{attr(se, "Id"), path.Base(attr(se, "Type")), t})
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

// xmlReader is a token decoder that caps nesting depth and names
// elements and attributes by namespace rather than by prefix: a prefix
// bound to a known namespace URI becomes that namespace's usual prefix
// ("w", "r", "text", "table"…), whatever the document calls it; a prefix
// bound to an unknown URI becomes the URI; an undeclared prefix stays.
type xmlReader struct {
	d     *xml.Decoder
	c     io.Closer
	depth int
	name  string
	scope []nsBinding
}

// nsBinding is one xmlns declaration in scope, made at depth.
type nsBinding struct {
	prefix, space string
	depth         int
}

// knownSpaces maps namespace URIs to the prefix the readers compare with.
var knownSpaces = map[string]string{
	"http://schemas.openxmlformats.org/officeDocument/2006/relationships": "r",
	"http://purl.oclc.org/ooxml/officeDocument/relationships":             "r",
	"http://schemas.openxmlformats.org/wordprocessingml/2006/main":        "w",
	"http://purl.oclc.org/ooxml/wordprocessingml/main":                    "w",
	"http://schemas.openxmlformats.org/spreadsheetml/2006/main":           "x",
	"http://purl.oclc.org/ooxml/spreadsheetml/main":                       "x",
	"http://schemas.openxmlformats.org/drawingml/2006/main":               "a",
	"http://purl.oclc.org/ooxml/drawingml/main":                           "a",
	"http://schemas.openxmlformats.org/presentationml/2006/main":          "p",
	"http://purl.oclc.org/ooxml/presentationml/main":                      "p",
	"urn:oasis:names:tc:opendocument:xmlns:office:1.0":                    "office",
	"urn:oasis:names:tc:opendocument:xmlns:text:1.0":                      "text",
	"urn:oasis:names:tc:opendocument:xmlns:table:1.0":                     "table",
	"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0":                   "draw",
	"urn:oasis:names:tc:opendocument:xmlns:presentation:1.0":              "presentation",
	"urn:oasis:names:tc:opendocument:xmlns:style:1.0":                     "style",
	"urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0":                 "number",
	"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0":         "fo",
	"http://purl.org/dc/elements/1.1/":                                    "dc",
	"http://schemas.openxmlformats.org/markup-compatibility/2006":         "mc",
}

// resolve returns the namespace name of prefix: the usual prefix of its
// URI when known, else the URI, else the prefix itself.
func (x *xmlReader) resolve(prefix string, element bool) string {
	if prefix == "" && !element || prefix == "xmlns" || prefix == "xml" {
		return prefix
	}
	for i := len(x.scope) - 1; i >= 0; i-- {
		if x.scope[i].prefix == prefix {
			if known, ok := knownSpaces[x.scope[i].space]; ok {
				return known
			}
			return x.scope[i].space
		}
	}
	return prefix
}

// maxBindings caps the namespace declarations in scope.
const maxBindings = 4 * maxDepth

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
	switch t := tok.(type) {
	case xml.StartElement:
		x.depth++
		if x.depth > maxDepth {
			return nil, fmt.Errorf("%w: imbrication XML trop profonde dans %q", ErrTooLarge, x.name)
		}
		for _, a := range t.Attr {
			switch {
			case a.Name.Space == "xmlns":
				x.scope = append(x.scope, nsBinding{a.Name.Local, a.Value, x.depth})
			case a.Name.Space == "" && a.Name.Local == "xmlns":
				x.scope = append(x.scope, nsBinding{"", a.Value, x.depth})
			}
		}
		if len(x.scope) > maxBindings {
			return nil, fmt.Errorf("%w: trop de déclarations d'espaces de noms dans %q", ErrTooLarge, x.name)
		}
		t.Name.Space = x.resolve(t.Name.Space, true)
		if len(t.Attr) > 0 {
			attrs := make([]xml.Attr, len(t.Attr))
			for i, a := range t.Attr {
				a.Name.Space = x.resolve(a.Name.Space, false)
				attrs[i] = a
			}
			t.Attr = attrs
		}
		return t, nil
	case xml.EndElement:
		t.Name.Space = x.resolve(t.Name.Space, true)
		for len(x.scope) > 0 && x.scope[len(x.scope)-1].depth >= x.depth {
			x.scope = x.scope[:len(x.scope)-1]
		}
		x.depth--
		return t, nil
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
