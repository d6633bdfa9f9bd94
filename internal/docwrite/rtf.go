package docwrite

import (
	"fmt"
	"strings"
)

// RTF writes d as an RTF document in code page 1252, with \uN escapes for
// characters outside it.
func RTF(d Doc) []byte {
	var b strings.Builder
	b.WriteString(`{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Arial;}}{\colortbl;\red0\green0\blue0;}{\*\generator Plume test;}` + "\n")
	text := func(s string) {
		for _, r := range s {
			switch {
			case r == '\\' || r == '{' || r == '}':
				b.WriteByte('\\')
				b.WriteRune(r)
			case r < 128:
				b.WriteRune(r)
			case r < 256:
				fmt.Fprintf(&b, `\'%02x`, r)
			default:
				fmt.Fprintf(&b, `\u%d?`, int16(r))
			}
		}
	}
	if d.Title != "" {
		b.WriteString(`{\b\fs32 `)
		text(d.Title)
		b.WriteString(`\par}`)
	}
	for _, bl := range d.Blocks {
		switch bl.Kind {
		case KindHeading:
			b.WriteString(`{\b\fs28 `)
			text(bl.Text)
			b.WriteString(`\par}` + "\n")
		case KindPara:
			text(bl.Text)
			b.WriteString(`\par` + "\n")
		case KindList:
			for _, it := range bl.Items {
				b.WriteString(`\bullet\tab `)
				text(it)
				b.WriteString(`\par` + "\n")
			}
		case KindTable:
			for _, r := range bl.Rows {
				b.WriteString(`\trowd\cellx2000\cellx4000\cellx6000 `)
				for _, c := range r {
					text(c)
					b.WriteString(`\cell `)
				}
				b.WriteString(`\row` + "\n")
			}
		}
	}
	b.WriteString("}")
	return []byte(b.String())
}
