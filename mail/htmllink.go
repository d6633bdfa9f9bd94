package mail

// Link targets written after link text: mailto, tel, http(s), Outlook Safe Links unwrapped.

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// linkTarget appends " (target)" after a link whose text does not show it.
func (c *htmlConv) linkTarget(n *html.Node, mark int) {
	href, _ := attr(n, "href")
	target := linkTargetText(strings.TrimSpace(href))
	if target == "" || mark < 0 || mark > len(c.out) {
		return
	}
	shown := string(c.out[mark:])
	if shown == "" || strings.Contains(shown, target) {
		return
	}
	c.text(" (" + target + ")")
}

func linkTargetText(href string) string {
	lower := strings.ToLower(href)
	switch {
	case strings.HasPrefix(lower, "mailto:"):
		t := href[len("mailto:"):]
		if i := strings.IndexByte(t, '?'); i >= 0 {
			t = t[:i]
		}
		t, _ = url.PathUnescape(t)
		return t
	case strings.HasPrefix(lower, "tel:"):
		return href[len("tel:"):]
	case strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "https://"):
		if u, err := url.Parse(href); err == nil && strings.HasSuffix(strings.ToLower(u.Host), "safelinks.protection.outlook.com") {
			if orig := u.Query().Get("url"); orig != "" {
				return orig
			}
		}
		return href
	}
	return ""
}
