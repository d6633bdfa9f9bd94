package mail

// Tracking images: 1×1 or zero-size pictures, by attribute or inline style.

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

func isTrackingImage(n *html.Node, st style) bool {
	w, wok := pixelSize(attrOr(n, "width"))
	h, hok := pixelSize(attrOr(n, "height"))
	if sw, ok := pixelSize(st.get("width")); ok {
		w, wok = sw, true
	}
	if sh, ok := pixelSize(st.get("height")); ok {
		h, hok = sh, true
	}
	if (wok && w == 0) || (hok && h == 0) {
		return true
	}
	return (wok || hok) && (!wok || w <= 1) && (!hok || h <= 1)
}

func attrOr(n *html.Node, key string) string {
	v, _ := attr(n, key)
	return v
}

// pixelSize parses "1", "1px", "0pt"; other units are not pixel sizes.
func pixelSize(v string) (float64, bool) {
	v = strings.TrimSpace(strings.ToLower(v))
	v = strings.TrimSuffix(strings.TrimSuffix(v, "px"), "pt")
	if v == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, false
	}
	return f, true
}
