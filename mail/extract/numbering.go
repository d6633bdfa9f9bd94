package extract

import (
	"encoding/xml"
	"strconv"
	"strings"
)

// numbering holds the list definitions of a Word document
// (word/numbering.xml) and the counters of the lists being read, so that
// a numbered item keeps the label the document shows ("1.", "a)", "IV.").
type numbering struct {
	abstract map[string]*[9]numLevel // abstractNumId → levels
	nums     map[string]numInstance  // numId → definition
	counters map[string]*[9]int      // numId → items counted per level
}

// numLevel is one level of a list definition.
type numLevel struct {
	format string // decimal, lowerLetter, upperRoman, bullet, none…
	text   string // label template, "%1." or "%1.%2)"
	start  int
}

// numInstance is a list: its definition and start overrides.
type numInstance struct {
	abstract string
	starts   map[int]int
}

// maxLists caps the list definitions read from one document.
const maxLists = 10000

// readNumbering reads the list definitions of a numbering part.
func readNumbering(p *pkg, name string) (*numbering, error) {
	n := &numbering{abstract: map[string]*[9]numLevel{}, nums: map[string]numInstance{}, counters: map[string]*[9]int{}}
	if !p.has(name) {
		return n, nil
	}
	var (
		levels   *[9]numLevel
		lvl      = -1
		num      string
		override = -1
	)
	err := p.walk(name, func(tok xml.Token) error {
		se, ok := tok.(xml.StartElement)
		if !ok {
			if ee, ok := tok.(xml.EndElement); ok {
				switch ee.Name.Local {
				case "abstractNum":
					levels = nil
				case "num":
					num = ""
				case "lvl":
					lvl = -1
				case "lvlOverride":
					override = -1
				}
			}
			return nil
		}
		if len(n.abstract)+len(n.nums) > maxLists {
			return nil
		}
		switch se.Name.Local {
		case "abstractNum":
			levels = &[9]numLevel{}
			for i := range levels {
				levels[i] = numLevel{format: "decimal", start: 1}
			}
			n.abstract[attr(se, "abstractNumId")] = levels
		case "lvl":
			lvl = atoiIn(attr(se, "ilvl"), 0, 8)
		case "start":
			if levels != nil && lvl >= 0 {
				levels[lvl].start, _ = strconv.Atoi(attr(se, "val"))
			}
		case "numFmt":
			if levels != nil && lvl >= 0 {
				levels[lvl].format = attr(se, "val")
			}
		case "lvlText":
			if levels != nil && lvl >= 0 {
				levels[lvl].text = attr(se, "val")
			}
		case "num":
			num = attr(se, "numId")
			n.nums[num] = numInstance{starts: map[int]int{}}
		case "abstractNumId":
			if num != "" {
				in := n.nums[num]
				in.abstract = attr(se, "val")
				n.nums[num] = in
			}
		case "lvlOverride":
			override = atoiIn(attr(se, "ilvl"), 0, 8)
		case "startOverride":
			if num != "" && override >= 0 {
				v, _ := strconv.Atoi(attr(se, "val"))
				n.nums[num].starts[override] = v
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

func atoiIn(s string, lo, hi int) int {
	v, _ := strconv.Atoi(s)
	return max(lo, min(v, hi))
}

// next counts one more item of list numID at level lvl and returns its
// label; "" for a bullet or an unknown list.
func (n *numbering) next(numID string, lvl int) string {
	lvl = max(0, min(lvl, 8))
	in, ok := n.nums[numID]
	if !ok {
		return ""
	}
	levels := n.abstract[in.abstract]
	if levels == nil {
		return ""
	}
	c := n.counters[numID]
	if c == nil {
		c = &[9]int{}
		n.counters[numID] = c
	}
	startOf := func(l int) int {
		if s, ok := in.starts[l]; ok {
			return s
		}
		return levels[l].start
	}
	c[lvl]++ // items seen at this level since it was last reset
	for l := lvl + 1; l < 9; l++ {
		c[l] = 0
	}
	value := func(l int) int { return startOf(l) + max(c[l], 1) - 1 }
	lv := levels[lvl]
	switch lv.format {
	case "bullet", "none", "":
		return ""
	}
	text := lv.text
	if text == "" {
		text = "%" + strconv.Itoa(lvl+1) + "."
	}
	var sb strings.Builder
	for i := 0; i < len(text); i++ {
		if text[i] == '%' && i+1 < len(text) && text[i+1] >= '1' && text[i+1] <= '9' {
			l := int(text[i+1] - '1')
			sb.WriteString(listValue(value(l), levels[l].format))
			i++
			continue
		}
		sb.WriteByte(text[i])
	}
	return strings.TrimSpace(sb.String())
}

// listValue renders a list counter in a Word number format.
func listValue(v int, format string) string {
	switch format {
	case "lowerLetter":
		return letters(v, false)
	case "upperLetter":
		return letters(v, true)
	case "lowerRoman":
		return roman(v, false)
	case "upperRoman":
		return roman(v, true)
	case "decimalZero":
		return pad(v, 2)
	}
	return strconv.Itoa(v)
}

// letters renders 1 → a, 26 → z, 27 → aa (Word's repeated letters).
func letters(v int, upper bool) string {
	if v <= 0 {
		return strconv.Itoa(v)
	}
	c := byte('a' + (v-1)%26)
	if upper {
		c -= 'a' - 'A'
	}
	return strings.Repeat(string(c), min((v-1)/26+1, 10))
}

// roman renders v in Roman numerals (1–3999), else in digits.
func roman(v int, upper bool) string {
	if v <= 0 || v >= 4000 {
		return strconv.Itoa(v)
	}
	vals := [...]int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := [...]string{"m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix", "v", "iv", "i"}
	var sb strings.Builder
	for i, n := range vals {
		for v >= n {
			sb.WriteString(syms[i])
			v -= n
		}
	}
	if upper {
		return strings.ToUpper(sb.String())
	}
	return sb.String()
}
