package extract

import (
	"fmt"
	"math"
	"strings"

	"github.com/plume-admin/plume/mail/extract/internal/pdf"
)

// One page of the Go reader: its content stream walked operator by operator,
// text placed with the text and graphics matrices and the fonts' widths.

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
