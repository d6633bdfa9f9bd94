package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/plume-admin/plume/mail/extract/internal/pdf"
)

// Limits of the PDF walker, on top of Limits.
const (
	maxPDFPages = 10000
	maxPDFOps   = 20_000_000
	// maxPDFNodes caps the page-tree nodes visited: a tree whose kids
	// repeat the same node is visited once per path.
	maxPDFNodes = 4 * maxPDFPages
	// pdfLineCost is charged against MaxBytes for each line kept, on top of
	// its text, so that a flood of tiny lines is bounded too.
	pdfLineCost = 64
)

// pdfLimits bounds the PDF reader with the document's budget: decoded
// stream bytes count against MaxBytes as they are produced, and the reader
// checks the document's context every few kilobytes.
func pdfLimits(b *budget) pdf.Limits {
	return pdf.Limits{Charge: b.add, Check: b.check}
}

// pdfStop turns what stopped the PDF reader into an error of this package.
func pdfStop(s pdf.Stop) error {
	if errors.Is(s.Err, pdf.ErrLimit) {
		return fmt.Errorf("%w: %w", ErrTooLarge, s.Err)
	}
	return s.Err
}

// readPDF reads a PDF with the PDFium engine, after the built-in reader.
//
// The built-in reader goes first because it is bounded where PDFium is
// not: it counts every decompressed byte and operand against the
// document's budget, so a bomb is refused before PDFium would inflate it
// up to its memory limit. A document it refuses as too large is refused;
// otherwise PDFium reads it (PDFium also opens what the built-in reader
// cannot: LZW, PDF 2.0, damaged streams, owner passwords). When the engine
// cannot start, the built-in reader's text is kept, with a note.
func readPDF(b *budget, data []byte, doc *Document) error {
	gb := &budget{ctx: b.ctx, lim: b.lim}
	gdoc := &Document{Name: doc.Name, MediaType: doc.MediaType, Format: doc.Format}
	gerr := readPDFGo(gb, data, gdoc)
	if errors.Is(gerr, ErrTooLarge) || b.check() != nil {
		return gerr
	}
	err := readPDFium(b, data, doc)
	switch {
	case errors.Is(err, errNoEngine):
		gdoc.Notes = append(gdoc.Notes, "moteur PDF indisponible, lecteur simplifié utilisé : "+err.Error())
		*doc = *gdoc
		return gerr
	case errors.Is(err, ErrNoText) && errors.Is(gerr, ErrMalformed):
		// neither reader finds text: a broken file rather than a scan
		return gerr
	}
	return err
}

// readPDFGo reads the text layer of a PDF, page by page, in content order,
// rebuilding lines from text positions. Headings are lines set in a larger
// font than the body text.
func readPDFGo(b *budget, data []byte, doc *Document) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if a, ok := p.(abort); ok {
				err = a.err
				return
			}
			if s, ok := p.(pdf.Stop); ok {
				err = pdfStop(s)
				return
			}
			err = fmt.Errorf("%w: PDF: %v", ErrMalformed, p)
		}
	}()
	r, err := pdf.NewReaderLimits(bytes.NewReader(data), int64(len(data)), pdfLimits(b))
	if errors.Is(err, ErrTooLarge) || errors.Is(err, context.Canceled) {
		return err
	}
	if errors.Is(err, pdf.ErrLimit) {
		return pdfStop(pdf.Stop{Err: err})
	}
	if err != nil {
		if bytes.Contains(data, []byte("/Encrypt")) {
			return fmt.Errorf("%w: PDF chiffré", ErrProtected)
		}
		return fmt.Errorf("%w: PDF: %w", ErrMalformed, err)
	}
	if r.Trailer().Key("Encrypt").Kind() != pdf.Null {
		return fmt.Errorf("%w: PDF chiffré", ErrProtected)
	}
	var pages []pdf.Value
	nodes := 0
	collectPages(r.Trailer().Key("Root").Key("Pages"), 0, &nodes, &pages)
	doc.Pages = len(pages)
	if len(pages) == 0 {
		return fmt.Errorf("%w: PDF sans page", ErrMalformed)
	}

	st := &pdfState{b: b}
	var lines []pdfLine
	var empty []string
	for i, pg := range pages {
		start := len(lines)
		lines = st.page(pg, lines)
		if len(lines) > start {
			lines[start].pageBreak = i > 0
		} else {
			empty = append(empty, strconv.Itoa(i+1))
		}
	}
	chars := 0
	for _, l := range lines {
		chars += len(strings.TrimSpace(l.text))
	}
	if chars == 0 {
		return ErrNoText
	}
	if len(empty) > 0 {
		doc.Skipped = append(doc.Skipped, "pages sans texte (numérisées ?) : "+strings.Join(limitList(empty, 20), ", "))
	}
	doc.Text = renderPDFLines(lines)
	return nil
}

func limitList(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(s[:n:n], "…")
}

// collectPages walks the page tree depth-first; depth, nodes visited and
// pages are capped so that cyclic or repeated /Kids cannot loop.
func collectPages(node pdf.Value, depth int, nodes *int, out *[]pdf.Value) {
	if *nodes++; *nodes > maxPDFNodes || depth > 64 || len(*out) >= maxPDFPages || node.Kind() != pdf.Dict {
		return
	}
	kids := node.Key("Kids")
	if node.Key("Type").Name() == "Pages" || kids.Kind() == pdf.Array {
		for i := 0; i < kids.Len() && len(*out) < maxPDFPages; i++ {
			collectPages(kids.Index(i), depth+1, nodes, out)
		}
		return
	}
	*out = append(*out, node)
}

// inherited looks a page attribute up the /Parent chain, at most 32 levels.
func inherited(page pdf.Value, key string) pdf.Value {
	for i, v := 0, page; i < 32 && v.Kind() == pdf.Dict; i, v = i+1, v.Key("Parent") {
		if r := v.Key(key); r.Kind() != pdf.Null {
			return r
		}
	}
	return pdf.Value{}
}

type pdfLine struct {
	text      string
	size      float64
	gapBefore bool // a paragraph gap precedes the line
	pageBreak bool
}

type matrix [6]float64 // a b c d e f

var identity = matrix{1, 0, 0, 1, 0, 0}

func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

type pdfFont struct {
	enc     pdf.TextEncoding
	font    pdf.Font
	twoByte bool
	first   int
	widths  []float64
}

func (f *pdfFont) width(code int) float64 {
	if i := code - f.first; f.widths != nil && i >= 0 && i < len(f.widths) && f.widths[i] > 0 {
		return f.widths[i]
	}
	return 500
}

type pdfState struct {
	b   *budget
	ops int
}

type gstate struct {
	ctm                       matrix
	tfs, th, tc, tw, tl, rise float64
	font                      *pdfFont
}

// page appends the lines of one page.
func (st *pdfState) page(pg pdf.Value, lines []pdfLine) []pdfLine {
	contents := pg.Key("Contents")
	if contents.Kind() == pdf.Null {
		return lines
	}
	fontDicts := inherited(pg, "Resources").Key("Font")
	fonts := map[string]*pdfFont{}
	getFont := func(name string) *pdfFont {
		if f, ok := fonts[name]; ok {
			return f
		}
		fv := fontDicts.Key(name)
		f := &pdfFont{font: pdf.Font{V: fv}}
		f.enc = f.font.Encoder()
		f.twoByte = fv.Key("Subtype").Name() == "Type0"
		f.first = int(fv.Key("FirstChar").Int64())
		ws := fv.Key("Widths")
		for i := 0; i < ws.Len() && i < 65536; i++ {
			f.widths = append(f.widths, ws.Index(i).Float64())
		}
		fonts[name] = f
		return f
	}

	g := gstate{ctm: identity, th: 1}
	var stack []gstate
	tm, tlm := identity, identity
	var (
		cur     strings.Builder
		curY    float64
		curSize float64
		lastEnd float64
		prevY   = math.NaN()
		prevSz  float64
		started bool
	)
	flush := func() {
		if cur.Len() == 0 {
			return
		}
		text := cur.String()
		gap := !math.IsNaN(prevY) && prevY-curY > 1.6*math.Max(prevSz, curSize)
		lines = append(lines, pdfLine{text: text, size: curSize, gapBefore: gap})
		if err := st.b.add(pdfLineCost); err != nil {
			panic(abort{err})
		}
		prevY, prevSz = curY, curSize
		cur.Reset()
		started = false
	}
	show := func(raw string, adjust []float64) {
		f := g.font
		if f == nil {
			f = &pdfFont{enc: nopEncoding{}}
		}
		trm := matrix{g.tfs * g.th, 0, 0, g.tfs, 0, g.rise}.mul(tm).mul(g.ctm)
		x, y := trm[4], trm[5]
		size := math.Hypot(trm[2], trm[3])
		if size < 0.1 {
			size = 0.1
		}
		text := f.enc.Decode(raw)
		// count the text as it is shown, before a line can grow past the budget
		if err := st.b.add(len(text)); err != nil {
			panic(abort{err})
		}
		// advance in text space
		adv := 0.0
		step := 1
		if f.twoByte {
			step = 2
		}
		for i := 0; i+step <= len(raw); i += step {
			code := int(raw[i])
			if step == 2 {
				code = code<<8 | int(raw[i+1])
			}
			w := f.width(code)/1000*g.tfs + g.tc
			if step == 1 && code == 32 {
				w += g.tw
			}
			adv += w * g.th
		}
		for _, a := range adjust {
			adv -= a / 1000 * g.tfs * g.th
		}
		tm = matrix{1, 0, 0, 1, adv, 0}.mul(tm)
		end := matrix{g.tfs * g.th, 0, 0, g.tfs, 0, g.rise}.mul(tm).mul(g.ctm)[4]
		if text == "" {
			return
		}
		if started {
			tol := 0.5 * math.Max(size, curSize)
			if math.Abs(y-curY) > tol || x < lastEnd-3*size {
				flush()
			}
		}
		if !started {
			started = true
			curY, curSize = y, size
		} else {
			gap := x - lastEnd
			s := cur.String()
			if gap > 2.5*size {
				cur.WriteByte('\t')
			} else if gap > 0.2*size && !strings.HasSuffix(s, " ") && !strings.HasPrefix(text, " ") {
				cur.WriteByte(' ')
			}
			curSize = math.Max(curSize, size)
		}
		cur.WriteString(text)
		lastEnd = end
	}

	pdf.Interpret(contents, func(stk *pdf.Stack, op string) {
		st.ops++
		if st.ops&1023 == 0 {
			if err := st.b.check(); err != nil {
				panic(abort{err})
			}
			if st.ops > maxPDFOps {
				panic(abort{fmt.Errorf("%w: trop d'opérations dans le PDF", ErrTooLarge)})
			}
		}
		// pop every operand, keep the last 64: nothing stays on the stack
		n := min(stk.Len(), 64)
		args := make([]pdf.Value, n)
		for i := n - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		for stk.Len() > 0 {
			stk.Pop()
		}
		num := func(i int) float64 {
			if i < len(args) {
				return args[i].Float64()
			}
			return 0
		}
		switch op {
		case "q":
			if len(stack) < 256 {
				stack = append(stack, g)
			}
		case "Q":
			if len(stack) > 0 {
				g = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
			}
		case "cm":
			if len(args) == 6 {
				g.ctm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}.mul(g.ctm)
			}
		case "BT":
			tm, tlm = identity, identity
		case "ET":
		case "Tf":
			if len(args) == 2 {
				g.font = getFont(args[0].Name())
				g.tfs = num(1)
			}
		case "Tc":
			g.tc = num(0)
		case "Tw":
			g.tw = num(0)
		case "Tz":
			g.th = num(0) / 100
		case "TL":
			g.tl = num(0)
		case "Ts":
			g.rise = num(0)
		case "Td", "TD":
			if op == "TD" {
				g.tl = -num(1)
			}
			tlm = matrix{1, 0, 0, 1, num(0), num(1)}.mul(tlm)
			tm = tlm
		case "Tm":
			if len(args) == 6 {
				tlm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}
				tm = tlm
			}
		case "T*":
			tlm = matrix{1, 0, 0, 1, 0, -g.tl}.mul(tlm)
			tm = tlm
		case "Tj":
			if len(args) == 1 {
				show(args[0].RawString(), nil)
			}
		case "'", "\"":
			if op == "\"" && len(args) == 3 {
				g.tw, g.tc = num(0), num(1)
				args = args[2:]
			}
			tlm = matrix{1, 0, 0, 1, 0, -g.tl}.mul(tlm)
			tm = tlm
			if len(args) == 1 {
				show(args[0].RawString(), nil)
			}
		case "TJ":
			if len(args) != 1 {
				return
			}
			arr := args[0]
			for i := 0; i < arr.Len(); i++ {
				v := arr.Index(i)
				if v.Kind() == pdf.String {
					show(v.RawString(), nil)
				} else {
					a := v.Float64()
					if a < -200 {
						// a large negative kerning is a word space
						show("", []float64{a})
						if cur.Len() > 0 && !strings.HasSuffix(cur.String(), " ") {
							cur.WriteByte(' ')
						}
					} else {
						show("", []float64{a})
					}
				}
			}
		}
	})
	flush()
	return lines
}

type nopEncoding struct{}

func (nopEncoding) Decode(raw string) string { return raw }

// renderPDFLines joins lines into paragraphs and marks headings: lines set
// in a font clearly larger than the most common body size.
func renderPDFLines(lines []pdfLine) string {
	weight := map[int]int{}
	for _, l := range lines {
		weight[int(math.Round(l.size*2))] += len(l.text)
	}
	body, best := 0, -1
	for s, n := range weight {
		if n > best || n == best && s < body {
			body, best = s, n
		}
	}
	bodySize := float64(body) / 2
	var sb strings.Builder
	for i, l := range lines {
		text := strings.TrimSpace(l.text)
		if text == "" {
			continue
		}
		heading := 0
		if bodySize > 0 && len(text) < 150 {
			switch {
			case l.size >= 1.6*bodySize:
				heading = 1
			case l.size >= 1.15*bodySize:
				heading = 2
			}
		}
		if i > 0 && (l.pageBreak || l.gapBefore || heading > 0) {
			sb.WriteString("\n")
		}
		if heading > 0 {
			sb.WriteString(strings.Repeat("#", heading) + " " + text + "\n\n")
			continue
		}
		sb.WriteString(text)
		sb.WriteByte('\n')
	}
	return sb.String()
}
