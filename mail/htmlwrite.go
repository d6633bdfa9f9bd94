package mail

// The line writer of HTMLToText: owed newlines, quote prefixes, white space, list items.

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

func (c *htmlConv) newline(n int) {
	if len(c.out) == 0 {
		return
	}
	if c.cell > 0 {
		c.inlineBreak()
		return
	}
	if n > c.pending {
		c.pending = n
	}
	c.needSpace = false
	c.cellSep = false
}

func (c *htmlConv) br() {
	if len(c.out) == 0 {
		return
	}
	if c.cell > 0 {
		c.inlineBreak()
		return
	}
	if !c.open || c.pending > 0 {
		c.pending++
	} else {
		c.pending = 1
	}
	if c.pending > 2 {
		c.pending = 2
	}
	c.needSpace = false
	c.cellSep = false
}

// startLine writes owed newlines and the quote prefix of a new line.
func (c *htmlConv) startLine() {
	d := c.quoteDepth()
	if len(c.out) > 0 && c.pending > 0 {
		c.trimTrailingSpace()
		c.out = append(c.out, '\n')
		for k := 1; k < c.pending; k++ {
			m := min(d, c.lineDepth)
			for range m {
				c.out = append(c.out, '>')
			}
			c.out = append(c.out, '\n')
		}
	}
	for range d {
		c.out = append(c.out, '>', ' ')
	}
	c.out = append(c.out, c.heading...)
	c.pending = 0
	c.open = true
	c.needSpace = false
	c.cellSep = false
	c.lineDepth = d
}

func (c *htmlConv) trimTrailingSpace() {
	for len(c.out) > 0 && c.out[len(c.out)-1] == ' ' {
		c.out = c.out[:len(c.out)-1]
	}
}

func isHTMLSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\u00a0' || r == '\u200b' || r == '\ufeff'
}

// text writes inline text, collapsing white space outside <pre>.
func (c *htmlConv) text(s string) {
	if c.pre > 0 {
		c.preText(s)
		return
	}
	for _, r := range s {
		if isHTMLSpace(r) {
			if c.open && c.pending == 0 {
				c.needSpace = true
			}
			continue
		}
		if c.owed > 0 {
			c.startCell()
		} else if !c.open || c.pending > 0 {
			c.startLine()
		} else if c.cellSep {
			c.trimTrailingSpace()
			if n := len(c.out); n > 0 && c.out[n-1] == ':' {
				c.out = append(c.out, ' ')
			} else {
				c.out = append(c.out, " | "...)
			}
			c.cellSep = false
			c.needSpace = false
		} else if c.needSpace {
			c.out = append(c.out, ' ')
			c.needSpace = false
		}
		if r == '|' && c.cell > 0 {
			r = '/' // a bar would split the cell
		}
		c.out = utf8.AppendRune(c.out, r)
	}
}

// inlineBreak turns a line break inside a document's table cell into a space.
func (c *htmlConv) inlineBreak() {
	if c.open && c.pending == 0 {
		c.needSpace = true
	}
}

// startCell writes what comes before the first text of a document's table
// cell: the row's leading "|" or the bar closing the previous cell, and one
// "|" per empty cell in between. Rows and trailing cells without text are
// never written.
func (c *htmlConv) startCell() {
	if c.rowOpen {
		c.trimTrailingSpace()
		c.out = append(c.out, " |"...)
	} else {
		if !c.open || c.pending > 0 {
			c.startLine()
		}
		c.out = append(c.out, '|')
		c.rowOpen = true
	}
	for range c.owed - 1 {
		c.out = append(c.out, "  |"...)
	}
	c.out = append(c.out, ' ')
	c.owed = 0
	c.needSpace = false
	c.cellSep = false
}

// endRow closes a document's table row with "|".
func (c *htmlConv) endRow() {
	if c.rowOpen {
		c.trimTrailingSpace()
		c.out = append(c.out, " |"...)
		c.rowOpen = false
	}
	c.owed = 0
	c.newline(1)
}

func (c *htmlConv) preText(s string) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			c.br()
		}
		if line == "" {
			continue
		}
		if !c.open || c.pending > 0 {
			c.startLine()
		}
		c.out = append(c.out, strings.Map(func(r rune) rune {
			if r == '\u00a0' || r == '\t' {
				return ' '
			}
			return r
		}, line)...)
	}
}

func (c *htmlConv) listItem() {
	c.newline(1)
	marker, indent := "- ", ""
	if len(c.lists) > 0 {
		l := &c.lists[len(c.lists)-1]
		l.n++
		if l.ordered {
			marker = strconv.Itoa(l.n) + ". "
		}
		indent = strings.Repeat("  ", len(c.lists)-1)
	}
	if len(c.lists) == 0 || c.cell > 0 {
		c.text(marker) // inline: outside a list, or in a document's table cell
		return
	}
	c.startLine()
	c.out = append(c.out, indent+marker...)
}
