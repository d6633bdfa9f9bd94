package extract

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// readHTML reads an HTML document with a streaming tokenizer: headings,
// paragraphs, lists and tables are kept; scripts, styles and hidden
// elements are dropped.
func readHTML(b *budget, data []byte, doc *Document) error {
	if err := b.add(len(data)); err != nil {
		return err
	}
	text, note := decodeHTML(data)
	if note != "" {
		doc.Notes = append(doc.Notes, note)
	}
	h := &htmlReader{w: &writer{b: b}}
	z := html.NewTokenizerFragment(strings.NewReader(text), "")
	z.SetMaxBuf(1 << 20)
	for n := 0; ; n++ {
		if n&1023 == 0 {
			if err := b.check(); err != nil {
				return err
			}
		}
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			h.flush()
			if z.Err() != io.EOF && h.w.sb.Len() == 0 {
				doc.Notes = append(doc.Notes, "HTML tronqué")
			}
			if h.hidden > 0 {
				doc.Skipped = append(doc.Skipped, strconv.Itoa(h.hidden)+" élément(s) masqué(s)")
			}
			doc.Text = h.w.String()
			return nil
		case html.TextToken:
			if h.skip == 0 {
				h.text(string(z.Text()))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			var attrs map[string]string
			for hasAttr {
				k, v, more := z.TagAttr()
				if attrs == nil {
					attrs = map[string]string{}
				}
				attrs[string(k)] = string(v)
				hasAttr = more
			}
			h.start(string(name), attrs, tt == html.SelfClosingTagToken)
		case html.EndTagToken:
			name, _ := z.TagName()
			h.end(string(name))
		}
	}
}

// decodeHTML honours a BOM, a <meta charset> or valid UTF-8, else guesses
// like plain text.
func decodeHTML(data []byte) (string, string) {
	if utf8Valid := bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}); utf8Valid {
		return string(data[3:]), ""
	}
	if enc, name, certain := charset.DetermineEncoding(data, "text/html"); certain && name != "utf-8" && name != "windows-1252" {
		if s, err := enc.NewDecoder().Bytes(data); err == nil {
			return string(s), ""
		}
	}
	return decodeText(data)
}

var htmlVoid = map[string]bool{"br": true, "img": true, "hr": true, "meta": true, "link": true, "input": true,
	"area": true, "base": true, "col": true, "embed": true, "source": true, "track": true, "wbr": true, "param": true}

var htmlSkip = map[string]bool{"script": true, "style": true, "head": true, "noscript": true, "template": true,
	"svg": true, "math": true, "iframe": true, "object": true, "select": true, "button": true}

var htmlBlock = map[string]bool{"p": true, "div": true, "section": true, "article": true, "blockquote": true,
	"pre": true, "header": true, "footer": true, "main": true, "aside": true, "nav": true, "address": true,
	"figure": true, "figcaption": true, "dl": true, "dt": true, "dd": true, "hr": true, "center": true, "form": true}

type htmlReader struct {
	w      *writer
	para   strings.Builder
	stack  []htmlOpen
	skip   int // depth inside skipped or hidden elements
	hidden int
	head   int   // heading level open
	lists  []int // per open list: 0 for ul, next number for ol
	inItem bool
	pre    int
	tb     tables
}

type htmlOpen struct {
	name string
	skip bool
}

func (h *htmlReader) start(name string, attrs map[string]string, selfClosing bool) {
	if htmlVoid[name] || selfClosing {
		if h.skip == 0 && name == "br" {
			h.para.WriteByte('\n')
		}
		if h.skip == 0 && name == "hr" {
			h.flush()
		}
		return
	}
	skip := htmlSkip[name] || isHiddenHTML(attrs)
	if len(h.stack) < maxDepth*4 {
		h.stack = append(h.stack, htmlOpen{name, skip})
	} else {
		return
	}
	if skip {
		if h.skip == 0 && isHiddenHTML(attrs) {
			h.hidden++
		}
		h.skip++
		return
	}
	if h.skip > 0 {
		return
	}
	switch {
	case len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6':
		h.flush()
		h.head = int(name[1] - '0')
	case name == "ul" || name == "ol":
		h.flush()
		n := 0
		if name == "ol" {
			n = 1
		}
		if len(h.lists) < maxDepth {
			h.lists = append(h.lists, n)
		}
	case name == "li":
		h.flush()
		h.inItem = true
	case name == "table":
		h.flush()
		h.tb.begin()
	case name == "tr":
		h.tb.beginRow()
	case name == "td" || name == "th":
		h.flush()
		h.tb.beginCell()
	case name == "pre":
		h.flush()
		h.pre++
	case htmlBlock[name]:
		h.flush()
	}
}

func (h *htmlReader) end(name string) {
	// pop to the matching open element, if any
	i := len(h.stack) - 1
	for i >= 0 && h.stack[i].name != name {
		i--
	}
	if i < 0 {
		return
	}
	for j := len(h.stack) - 1; j >= i; j-- {
		o := h.stack[j]
		h.stack = h.stack[:j]
		if o.skip {
			h.skip--
			continue
		}
		if h.skip == 0 {
			h.close(o.name)
		}
	}
}

func (h *htmlReader) close(name string) {
	switch {
	case len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6':
		h.flush()
		h.head = 0
	case name == "ul" || name == "ol":
		h.flush()
		if len(h.lists) > 0 {
			h.lists = h.lists[:len(h.lists)-1]
		}
		if len(h.lists) == 0 && !h.tb.open() {
			h.w.endList()
		}
	case name == "li":
		h.flush()
		h.inItem = false
	case name == "td" || name == "th":
		h.flush()
		h.tb.endCell(1)
	case name == "tr":
		h.tb.endRow(1, 0)
	case name == "table":
		h.flush()
		if rows := h.tb.end(); rows != nil {
			h.w.table(rows)
		}
	case name == "pre":
		h.flush()
		h.pre--
	case htmlBlock[name]:
		h.flush()
	}
}

func (h *htmlReader) text(s string) {
	if h.pre > 0 {
		h.para.WriteString(s)
		return
	}
	if strings.TrimSpace(s) == "" {
		if h.para.Len() > 0 {
			h.para.WriteByte(' ')
		}
		return
	}
	lead := s[0] == ' ' || s[0] == '\n' || s[0] == '\t'
	trail := strings.HasSuffix(s, " ") || strings.HasSuffix(s, "\n") || strings.HasSuffix(s, "\t")
	if lead && h.para.Len() > 0 {
		h.para.WriteByte(' ')
	}
	h.para.WriteString(strings.Join(strings.Fields(s), " "))
	if trail {
		h.para.WriteByte(' ')
	}
}

// flush ends the current paragraph, heading, list item or cell text.
func (h *htmlReader) flush() {
	s := h.para.String()
	h.para.Reset()
	if strings.TrimSpace(s) == "" {
		return
	}
	switch {
	case h.tb.open():
		h.tb.text(s)
	case h.head > 0:
		h.w.heading(h.head, s)
	case h.inItem && len(h.lists) > 0:
		n := h.lists[len(h.lists)-1]
		if n > 0 {
			h.lists[len(h.lists)-1]++
		}
		h.w.item(len(h.lists)-1, n, s)
		h.inItem = false // further paragraphs of the item are plain
	default:
		if h.pre > 0 {
			h.w.raw(strings.Trim(s, "\n") + "\n\n")
			return
		}
		var lines []string
		for _, l := range strings.Split(s, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		h.w.para(strings.Join(lines, "\n"))
	}
}

// isHiddenHTML reports elements that a reader does not see.
func isHiddenHTML(attrs map[string]string) bool {
	if attrs == nil {
		return false
	}
	if _, ok := attrs["hidden"]; ok {
		return true
	}
	if attrs["aria-hidden"] == "true" {
		return true
	}
	st := strings.ReplaceAll(strings.ToLower(attrs["style"]), " ", "")
	return strings.Contains(st, "display:none") || strings.Contains(st, "visibility:hidden") ||
		strings.Contains(st, "font-size:0") || strings.Contains(st, "opacity:0;") || strings.HasSuffix(st, "opacity:0")
}
