package mail

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// style is the parsed inline CSS of one element, reduced to what decides
// visibility.
type style struct {
	decl          [][2]string
	borderLeft    bool
	outlookBorder bool
}

func parseStyle(n *html.Node) style {
	var st style
	raw, ok := attr(n, "style")
	if !ok || raw == "" {
		return st
	}
	for _, d := range strings.Split(raw, ";") {
		k, v, ok := strings.Cut(d, ":")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.ToLower(strings.TrimSpace(v))
		v = strings.TrimSpace(strings.TrimSuffix(v, "!important"))
		st.decl = append(st.decl, [2]string{k, v})
		switch k {
		case "border-left":
			st.borderLeft = strings.Contains(v, "solid") && !strings.HasPrefix(v, "none")
		case "border-top":
			// Outlook desktop and Outlook for Mac draw this rule above the
			// header of the message being answered.
			st.outlookBorder = strings.Contains(v, "solid") &&
				(strings.Contains(v, "#e1e1e1") || strings.Contains(v, "#b5c4df"))
		}
	}
	return st
}

func (st style) get(key string) string {
	for i := len(st.decl) - 1; i >= 0; i-- {
		if st.decl[i][0] == key {
			return st.decl[i][1]
		}
	}
	return ""
}

// hidden reports whether the element's content is invisible to the reader.
func (st style) hidden(bgLight bool, n *html.Node) bool {
	if _, ok := attr(n, "hidden"); ok {
		return true
	}
	if v, ok := attr(n, "color"); ok && n.Data == "font" && bgLight && isLightColor(v, true) {
		return true
	}
	if len(st.decl) == 0 {
		return false
	}
	switch st.get("display") {
	case "none":
		return true
	}
	switch st.get("visibility") {
	case "hidden", "collapse":
		return true
	}
	if st.get("mso-hide") == "all" {
		return true
	}
	if v := st.get("opacity"); v != "" {
		if f, ok := cssNumber(v); ok && f <= 0.05 {
			return true
		}
	}
	if v := st.get("font-size"); v != "" && tinyFont(v) {
		return true
	}
	overflowHidden := st.get("overflow") == "hidden"
	for _, k := range []string{"width", "height", "max-width", "max-height"} {
		if v := st.get(k); v != "" {
			if f, ok := cssNumber(v); ok && f == 0 && (overflowHidden || strings.HasPrefix(k, "max-")) {
				return true
			}
		}
	}
	if v := st.get("text-indent"); v != "" {
		if f, ok := cssNumber(v); ok && f <= -999 {
			return true
		}
	}
	if st.get("position") == "absolute" {
		for _, k := range []string{"left", "top"} {
			if f, ok := cssNumber(st.get(k)); ok && f <= -999 {
				return true
			}
		}
	}
	if v := st.get("color"); v != "" && bgLight && isLightColor(v, true) {
		return true
	}
	return false
}

// background reports the element's own background, when it sets one:
// light (true) or not (false).
func (st style) background(n *html.Node) (light bool, ok bool) {
	v := st.get("background-color")
	if v == "" {
		v = st.get("background")
	}
	if v == "" {
		v, _ = attr(n, "bgcolor")
	}
	v = strings.TrimSpace(strings.ToLower(v))
	if v == "" || v == "none" || v == "inherit" || v == "transparent" || v == "initial" {
		return false, false
	}
	return isLightColor(strings.Fields(v)[0], false), true
}

func tinyFont(v string) bool {
	f, ok := cssNumber(v)
	if !ok {
		return false
	}
	switch {
	case strings.HasSuffix(v, "em") || strings.HasSuffix(v, "rem"):
		return f < 0.2
	case strings.HasSuffix(v, "%"):
		return f < 20
	default:
		return f < 2
	}
}

// cssNumber reads the leading number of a CSS value such as "0px" or "-9999px".
func cssNumber(v string) (float64, bool) {
	v = strings.TrimSpace(v)
	end := 0
	for end < len(v) && (v[end] == '-' || v[end] == '+' || v[end] == '.' || (v[end] >= '0' && v[end] <= '9')) {
		end++
	}
	if end == 0 {
		return 0, false
	}
	f, err := strconv.ParseFloat(v[:end], 64)
	return f, err == nil
}

// isLightColor reports white-ish colours (every channel ≥ 240). With
// transparentToo, a transparent colour also counts (invisible text).
func isLightColor(v string, transparentToo bool) bool {
	v = strings.TrimSpace(strings.ToLower(v))
	switch v {
	case "white", "snow", "ivory", "ghostwhite", "whitesmoke", "floralwhite", "mintcream", "azure", "seashell":
		return true
	case "transparent":
		return transparentToo
	}
	if strings.HasPrefix(v, "#") {
		h := v[1:]
		if len(h) == 3 || len(h) == 4 {
			h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
		}
		if len(h) == 8 && transparentToo && h[6:] == "00" {
			return true
		}
		if len(h) < 6 {
			return false
		}
		for i := 0; i < 6; i += 2 {
			x, err := strconv.ParseUint(h[i:i+2], 16, 8)
			if err != nil || x < 240 {
				return false
			}
		}
		return true
	}
	if strings.HasPrefix(v, "rgb") {
		open, close := strings.IndexByte(v, '('), strings.IndexByte(v, ')')
		if open < 0 || close < open {
			return false
		}
		parts := strings.FieldsFunc(v[open+1:close], func(r rune) bool { return r == ',' || r == ' ' || r == '/' })
		if len(parts) < 3 {
			return false
		}
		if len(parts) >= 4 && transparentToo {
			if a, ok := cssNumber(parts[3]); ok && a == 0 {
				return true
			}
		}
		for _, p := range parts[:3] {
			f, ok := cssNumber(p)
			if strings.HasSuffix(p, "%") {
				f = f * 255 / 100
			}
			if !ok || f < 240 {
				return false
			}
		}
		return true
	}
	return false
}
