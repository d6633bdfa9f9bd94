package extract

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// rtfSkipped lists destinations whose content is not document text.
var rtfSkipped = map[string]bool{
	"fonttbl": true, "colortbl": true, "stylesheet": true, "info": true, "pict": true,
	"object": true, "header": true, "footer": true, "headerl": true, "headerr": true,
	"headerf": true, "footerl": true, "footerr": true, "footerf": true, "listtable": true,
	"listoverridetable": true, "revtbl": true, "rsidtbl": true, "generator": true,
	"xmlnstbl": true, "themedata": true, "colorschememapping": true, "latentstyles": true,
	"datastore": true, "fldinst": true, "filetbl": true, "pgdsctbl": true, "bkmkstart": true, "bkmkend": true,
}

// readRTF reads an RTF document: paragraphs, tabs, table cells and rows,
// \'hh escapes in the document code page and \uN Unicode escapes.
func readRTF(b *budget, data []byte, doc *Document) error {
	if err := b.add(len(data)); err != nil {
		return err
	}
	type group struct {
		skip bool
		uc   int
	}
	var (
		out    strings.Builder
		stack  = []group{{uc: 1}}
		cp     = charmap.Windows1252
		pend   []byte // pending \'hh bytes, decoded together
		skipN  int    // characters to skip after \uN
		images int
	)
	flushBytes := func() {
		if len(pend) > 0 {
			s, _ := cp.NewDecoder().Bytes(pend)
			out.Write(s)
			pend = pend[:0]
		}
	}
	top := func() *group { return &stack[len(stack)-1] }
	i := 0
	for i < len(data) {
		if i&4095 == 0 {
			if err := b.check(); err != nil {
				return err
			}
		}
		c := data[i]
		switch c {
		case '{':
			flushBytes()
			if len(stack) >= maxDepth {
				return fmt.Errorf("%w: groupes RTF trop imbriqués", ErrTooLarge)
			}
			stack = append(stack, *top())
			i++
			// {\*\dest …} is an ignorable destination
			if i+1 < len(data) && data[i] == '\\' && data[i+1] == '*' {
				top().skip = true
			}
		case '}':
			flushBytes()
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
			i++
		case '\\':
			i++
			if i >= len(data) {
				break
			}
			c = data[i]
			switch {
			case c == '\'':
				if i+2 < len(data) {
					if v, err := strconv.ParseUint(string(data[i+1:i+3]), 16, 8); err == nil {
						if skipN > 0 {
							skipN--
						} else if !top().skip {
							pend = append(pend, byte(v))
						}
					}
				}
				i += 3
			case isLetter(c):
				start := i
				for i < len(data) && isLetter(data[i]) && i-start < 32 {
					i++
				}
				word := string(data[start:i])
				nstart := i
				if i < len(data) && (data[i] == '-' || isDigit(data[i])) {
					i++
					for i < len(data) && isDigit(data[i]) && i-nstart < 11 {
						i++
					}
				}
				param, hasParam := 0, i > nstart
				if hasParam {
					param, _ = strconv.Atoi(string(data[nstart:i]))
				}
				if i < len(data) && data[i] == ' ' {
					i++
				}
				if word != "u" {
					flushBytes()
				}
				g := top()
				switch {
				case rtfSkipped[word]:
					g.skip = true
					if word == "pict" || word == "object" {
						images++
					}
				case word == "ansicpg":
					switch param {
					case 1250:
						cp = charmap.Windows1250
					case 1251:
						cp = charmap.Windows1251
					case 1252:
						cp = charmap.Windows1252
					case 10000:
						cp = charmap.Macintosh
					case 850:
						cp = charmap.CodePage850
					case 437:
						cp = charmap.CodePage437
					}
				case word == "uc":
					g.uc = max(0, min(param, 8))
				case g.skip:
				case word == "u":
					flushBytes()
					r := rune(param)
					if r < 0 {
						r += 65536
					}
					out.WriteRune(r)
					skipN = g.uc
				case word == "par" || word == "line" || word == "sect" || word == "page":
					out.WriteByte('\n')
				case word == "tab":
					out.WriteByte('\t')
				case word == "cell":
					out.WriteString(" | ")
				case word == "row":
					out.WriteString("\n")
				case word == "trowd":
					out.WriteString("| ")
				case word == "bullet":
					out.WriteString("•")
				case word == "emdash":
					out.WriteString("—")
				case word == "endash":
					out.WriteString("–")
				case word == "lquote":
					out.WriteString("‘")
				case word == "rquote":
					out.WriteString("’")
				case word == "ldblquote":
					out.WriteString("« ")
				case word == "rdblquote":
					out.WriteString(" »")
				case word == "bin" && hasParam:
					i += max(0, min(param, len(data)-i))
				}
			default:
				// control symbol: \\ \{ \} \~ \- \_ and others
				flushBytes()
				if !top().skip && skipN == 0 {
					switch c {
					case '\\', '{', '}':
						out.WriteByte(c)
					case '~':
						out.WriteByte(' ')
					case '_':
						out.WriteByte('-')
					case '\n', '\r':
						out.WriteByte('\n')
					}
				}
				if skipN > 0 {
					skipN--
				}
				i++
			}
		case '\r', '\n':
			i++
		default:
			flushBytes()
			if skipN > 0 {
				skipN--
			} else if !top().skip {
				out.WriteByte(c)
			}
			i++
		}
	}
	flushBytes()
	if images > 0 {
		doc.Skipped = append(doc.Skipped, strconv.Itoa(images)+" image(s) ou objet(s) incorporé(s)")
	}
	doc.Text = out.String()
	return nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
