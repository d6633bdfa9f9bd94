package mail

// Quoted history in HTML: the "> " prefix depth and the Outlook reply-header separator.

import (
	"strings"

	"golang.org/x/net/html"
)

// maxQuotePrefix caps the "> " marks written per line, so that hostile
// nesting cannot multiply the output size.
const maxQuotePrefix = 8

func (c *htmlConv) quoteDepth() int {
	d := c.depth
	if c.toEnd {
		d++
	}
	return min(d, maxQuotePrefix)
}

// isOutlookSeparator reports the element after which Outlook puts quoted history.
func isOutlookSeparator(n *html.Node, st style) bool {
	if id, ok := attr(n, "id"); ok && (strings.HasPrefix(id, "divRplyFwdMsg") || id == "OLK_SRC_BODY_SECTION") {
		return true
	}
	return st.outlookBorder
}
