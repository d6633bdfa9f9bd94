package mail

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// HTMLToText converts an HTML body to plain text for the assistant.
//
// Paragraphs, line breaks, lists ("- " and "1. " items), tables (cells
// separated by " | ") and link targets ("text (https://…)") are kept as text.
// Scripts, styles and hidden content are dropped and counted in the returned
// [Cleaning]: elements hidden by display:none, visibility:hidden, opacity:0,
// mso-hide:all, a zero or near-zero font size, zero size with overflow
// hidden, white or transparent text on a light background, and tracking
// images (1×1 or zero-size).
//
// Quoted history is marked as the text splitter expects it: regions quoted by
// Gmail (gmail_quote), Thunderbird (moz-cite-prefix, blockquote type=cite),
// Apple Mail (blockquote type=cite) and Yahoo (yahoo_quoted) have each line
// prefixed with "> " per quoting level, and so has everything after an
// Outlook reply header (divRplyFwdMsg, the border-top separator).
func HTMLToText(src string) (string, Cleaning) {
	return convertHTML(src, false)
}

// HTMLDocumentToText converts an HTML document, such as an attachment, to
// plain text with the rules of [HTMLToText]: the same hidden content is
// dropped and counted. A document has no reply history, so nothing is
// marked as quoted; its structure is kept as light Markdown instead:
// headings as "# Titre", table rows as "| a | b |" with each cell on one
// line, list items as "- " and "1. ".
func HTMLDocumentToText(src string) (string, Cleaning) {
	return convertHTML(src, true)
}

func convertHTML(src string, document bool) (string, Cleaning) {
	c := htmlConv{doc: document}
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		// html.Parse only fails on reader errors; keep a plain fallback.
		c.cl.Warnings = append(c.cl.Warnings, "HTML could not be parsed; tags stripped")
		return stripTags(src), c.cl
	}
	c.out = make([]byte, 0, len(src)/3)
	c.walk(doc, htmlCtx{bgLight: true})
	return strings.TrimSpace(string(c.out)), c.cl
}

// htmlCtx is what an element inherits from its ancestors.
type htmlCtx struct {
	bgLight bool // background is white or unknown-light, so white text is invisible
	parent  *html.Node
}

type htmlConv struct {
	out       []byte
	cl        Cleaning
	depth     int  // quote nesting from blockquote-like elements
	toEnd     bool // an Outlook reply header was seen: the rest is quoted
	pending   int  // newlines owed before the next text (0, 1 or 2)
	open      bool // the current line holds text
	needSpace bool
	cellSep   bool // a table cell starts: separate from the previous one
	pre       int
	lineDepth int // quote depth of the last written line
	lists     []listState
	level     int // element nesting of the walk

	// Document mode (HTMLDocumentToText).
	doc     bool
	heading string // "## " written at the start of each line of a heading
	cell    int    // table cells open; inside one, blocks and breaks are spaces
	owed    int    // cells started in this row whose text is not yet written
	rowOpen bool   // the current table row has written its leading "|"
}

// maxHTMLDepth bounds the recursion of the walk; deeper content is read as
// flat text so that hostile nesting cannot exhaust the stack.
const maxHTMLDepth = 400

type listState struct {
	ordered bool
	n       int
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasClass(n *html.Node, class string) bool {
	v, ok := attr(n, "class")
	if !ok {
		return false
	}
	for _, f := range strings.Fields(v) {
		if strings.EqualFold(f, class) {
			return true
		}
	}
	return false
}

// skipped elements carry no readable text.
var skippedAtoms = map[atom.Atom]bool{
	atom.Style: true, atom.Title: true, atom.Template: true,
	atom.Svg: true, atom.Math: true, atom.Meta: true, atom.Link: true,
	atom.Base: true, atom.Noscript: true, atom.Select: true, atom.Button: true,
	atom.Input: true, atom.Textarea: true, atom.Audio: true, atom.Video: true,
	atom.Canvas: true, atom.Map: true,
}

// activeAtoms are executable or embedded content, counted as scripts.
var activeAtoms = map[atom.Atom]bool{
	atom.Script: true, atom.Iframe: true, atom.Object: true, atom.Embed: true,
	atom.Applet: true, atom.Frame: true, atom.Frameset: true,
}

var blockAtoms = map[atom.Atom]int{
	atom.P: 2, atom.H1: 2, atom.H2: 2, atom.H3: 2, atom.H4: 2, atom.H5: 2, atom.H6: 2,
	atom.Div: 1, atom.Ul: 1, atom.Ol: 1, atom.Table: 1, atom.Tr: 1, atom.Blockquote: 1,
	atom.Pre: 1, atom.Hr: 1, atom.Address: 1, atom.Section: 1, atom.Article: 1,
	atom.Header: 1, atom.Footer: 1, atom.Dl: 1, atom.Dt: 1, atom.Dd: 1, atom.Center: 1,
	atom.Form: 1, atom.Fieldset: 1, atom.Figure: 1, atom.Main: 1, atom.Nav: 1,
	atom.Aside: 1, atom.Caption: 1, atom.Li: 1, atom.Tbody: 1, atom.Thead: 1, atom.Tfoot: 1,
}

func (c *htmlConv) walk(n *html.Node, ctx htmlCtx) {
	switch n.Type {
	case html.TextNode:
		c.text(n.Data)
		return
	case html.DocumentNode:
		c.children(n, ctx)
		return
	case html.ElementNode:
	default:
		return
	}
	if c.level >= maxHTMLDepth {
		c.flatText(n)
		return
	}
	c.level++
	defer func() { c.level-- }()
	a := n.DataAtom
	if activeAtoms[a] {
		c.cl.Scripts++
		return
	}
	if skippedAtoms[a] {
		return
	}
	if a == atom.Head {
		c.countActive(n)
		return
	}
	st := parseStyle(n)
	if a == atom.Img {
		switch {
		case isTrackingImage(n, st):
			c.cl.TrackingImages++
		case st.hidden(ctx.bgLight, n):
			c.cl.HiddenElements++
		default:
			if alt, _ := attr(n, "alt"); strings.TrimSpace(alt) != "" {
				c.text(" [image: " + strings.TrimSpace(alt) + "] ")
			}
		}
		return
	}
	if st.hidden(ctx.bgLight, n) {
		c.cl.HiddenElements++
		return
	}
	if bg, ok := st.background(n); ok {
		ctx.bgLight = bg
	}

	// Quote regions.
	quote := false
	switch {
	case a == atom.Div && hasClass(n, "gmail_quote"):
		quote = true
	case a == atom.Blockquote && hasClass(n, "gmail_quote"):
		quote = ctx.parent == nil || !hasClass(ctx.parent, "gmail_quote")
	case a == atom.Blockquote:
		t, _ := attr(n, "type")
		quote = strings.EqualFold(t, "cite") || st.borderLeft
	case hasClass(n, "moz-cite-prefix"), hasClass(n, "yahoo_quoted"):
		quote = true
	}
	if c.doc {
		quote = false
	} else if !c.toEnd && isOutlookSeparator(n, st) {
		c.newline(1)
		c.toEnd = true
	}

	block := blockAtoms[a]
	if a == atom.P && hasClass(n, "MsoNormal") {
		block = 1
	}
	if block > 0 {
		c.newline(block)
	}
	if quote {
		c.newline(1)
		c.depth++
	}
	mark := -1
	switch a {
	case atom.Br:
		c.br()
	case atom.Hr:
		c.newline(1)
	case atom.Pre:
		c.pre++
	case atom.Ul, atom.Ol:
		c.lists = append(c.lists, listState{ordered: a == atom.Ol})
	case atom.Li:
		c.listItem()
	case atom.Td, atom.Th:
		if c.doc {
			if c.cell == 0 {
				c.owed++
			} else {
				c.inlineBreak() // a nested table is flattened into its cell
			}
			c.cell++
		} else if c.open && c.pending == 0 {
			c.cellSep = true
		}
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		if c.doc && c.cell == 0 {
			c.heading = strings.Repeat("#", int(n.Data[1]-'0')) + " "
		}
	case atom.A:
		mark = len(c.out)
	}

	ctx.parent = n
	c.children(n, ctx)

	switch a {
	case atom.Pre:
		c.pre--
	case atom.Ul, atom.Ol:
		c.lists = c.lists[:len(c.lists)-1]
	case atom.A:
		c.linkTarget(n, mark)
	case atom.Td, atom.Th:
		if c.doc {
			c.cell--
		} else if c.open && c.pending == 0 {
			c.needSpace = true
		}
	case atom.Tr:
		if c.doc && c.cell == 0 {
			c.endRow()
		}
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		c.heading = ""
	}
	if quote {
		c.newline(1)
		c.depth--
	}
	if block > 0 {
		c.newline(block)
	}
}

// flatText writes the text of a subtree without recursion, skipping
// scripts, styles and the like.
func (c *htmlConv) flatText(n *html.Node) {
	stack := []*html.Node{n}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch {
		case x.Type == html.TextNode:
			c.text(x.Data)
			continue
		case x.Type == html.ElementNode && (activeAtoms[x.DataAtom] || skippedAtoms[x.DataAtom]):
			continue
		case x.Type == html.ElementNode && blockAtoms[x.DataAtom] > 0:
			c.newline(1)
		}
		for ch := x.LastChild; ch != nil; ch = ch.PrevSibling {
			stack = append(stack, ch)
		}
	}
}

// countActive counts scripts in a subtree whose text is not shown (the head).
func (c *htmlConv) countActive(n *html.Node) {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && activeAtoms[ch.DataAtom] {
			c.cl.Scripts++
			continue
		}
		c.countActive(ch)
	}
}

func (c *htmlConv) children(n *html.Node, ctx htmlCtx) {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.walk(ch, ctx)
	}
}

// stripTags is the fallback when the HTML cannot be parsed at all.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			if unicode.IsPrint(r) || r == '\n' {
				b.WriteRune(r)
			}
		}
	}
	return strings.TrimSpace(b.String())
}
