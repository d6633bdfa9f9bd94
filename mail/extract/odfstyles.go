package extract

import (
	"encoding/xml"
	"strconv"
	"strings"
)

// ODF styles: list numbering, and the headers and footers of master pages (styles.xml).

// listStyle reads list style definitions (text:list-style and its levels).
func (r *odfReader) listStyle(t xml.StartElement) {
	sp, local := t.Name.Space, t.Name.Local
	switch {
	case sp == "text" && local == "list-style":
		r.styleName = attrNS(t, "style", "name")
		if _, ok := r.lists[r.styleName]; !ok && len(r.lists) < maxListStyles {
			r.lists[r.styleName] = &[10]listLevel{}
		}
	case sp == "text" && (local == "list-level-style-number" || local == "list-level-style-bullet"):
		levels := r.lists[r.styleName]
		lvl, _ := strconv.Atoi(attrNS(t, "text", "level"))
		if levels == nil || lvl < 1 || lvl > 10 {
			return
		}
		l := listLevel{start: 1}
		if local == "list-level-style-number" {
			l.format, l.prefix, l.suffix = attrNS(t, "style", "num-format"), attrNS(t, "style", "num-prefix"), attrNS(t, "style", "num-suffix")
			if v, err := strconv.Atoi(attrNS(t, "text", "start-value")); err == nil {
				l.start = v
			}
		}
		levels[lvl-1] = l
	}
}

// styles reads styles.xml: list styles, and the text of the master
// pages' headers and footers, each distinct text once.
func (r *odfReader) styles(p *pkg) (header, footer []string, err error) {
	var (
		where string // "header" or "footer" while inside one
		depth int
		cur   strings.Builder
		seen  = map[string]bool{}
	)
	err = p.walk("styles.xml", func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			r.listStyle(t)
			switch l := t.Name.Local; {
			case where != "" || t.Name.Space != "style":
			case l == "header" || l == "header-left" || l == "header-first" || l == "footer" || l == "footer-left" || l == "footer-first":
				// style:header, header-left, header-first, footer…
				where, depth = l[:6], 0
				cur.Reset()
				return nil
			}
			if where != "" {
				depth++
			}
		case xml.EndElement:
			if where == "" {
				return nil
			}
			if depth > 0 {
				depth--
				if t.Name.Space == "text" && (t.Name.Local == "p" || t.Name.Local == "h") {
					cur.WriteByte(' ')
				}
				return nil
			}
			if text := oneLine(cur.String()); text != "" && !seen[where+text] {
				seen[where+text] = true
				if where == "header" {
					header = append(header, text)
				} else {
					footer = append(footer, text)
				}
			}
			where = ""
		case xml.CharData:
			if where != "" {
				cur.Write(t)
			}
		}
		return nil
	})
	return header, footer, err
}

// listLabel counts one more item of the innermost list and returns its label.
func (r *odfReader) listLabel() string {
	if len(r.listStack) == 0 {
		return ""
	}
	top := &r.listStack[len(r.listStack)-1]
	if top.numbered {
		return ""
	}
	top.numbered = true
	top.count++
	levels := r.lists[top.style]
	lvl := min(len(r.listStack)-1, 9)
	if levels == nil || levels[lvl].format == "" {
		return ""
	}
	l := levels[lvl]
	v := l.start + top.count - 1
	var n string
	switch l.format {
	case "a":
		n = letters(v, false)
	case "A":
		n = letters(v, true)
	case "i":
		n = roman(v, false)
	case "I":
		n = roman(v, true)
	default:
		n = strconv.Itoa(v)
	}
	return l.prefix + n + l.suffix
}
