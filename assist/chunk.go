package assist

import (
	"strings"
)

// Token-aware chunking of documents: sections stay together when they
// fit, a chunk that starts inside a section repeats its heading path, and
// a table too large for one chunk is split by rows with its header row
// repeated. Headings are Markdown "#" lines and tables "| a | b |" lines,
// as package mail/extract writes them.

type unitKind int

const (
	unitPara unitKind = iota
	unitHeading
	unitTable
)

type unit struct {
	kind  unitKind
	level int
	text  string
}

func docUnits(text string) []unit {
	var out []unit
	var para, table []string
	flushPara := func() {
		if len(para) > 0 {
			out = append(out, unit{kind: unitPara, text: strings.Join(para, "\n")})
			para = nil
		}
	}
	flushTable := func() {
		if len(table) > 0 {
			out = append(out, unit{kind: unitTable, text: strings.Join(table, "\n")})
			table = nil
		}
	}
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(t, "|"):
			flushPara()
			table = append(table, t)
		case strings.HasPrefix(t, "#"):
			flushPara()
			flushTable()
			lvl := len(t) - len(strings.TrimLeft(t, "#"))
			out = append(out, unit{kind: unitHeading, level: lvl, text: t})
		case t == "":
			flushPara()
			flushTable()
		default:
			flushTable()
			para = append(para, line)
		}
	}
	flushPara()
	flushTable()
	return out
}

// splitDocument cuts text into chunks of at most limit tokens.
func splitDocument(text string, limit int) []string {
	if limit < 32 {
		limit = 32
	}
	var chunks []string
	var cur []string
	curTok := 0
	var path []unit // current heading path
	pathText := func() string {
		var hs []string
		for _, h := range path {
			hs = append(hs, h.text)
		}
		return strings.Join(hs, "\n")
	}
	flush := func() {
		if len(cur) > 0 {
			chunks = append(chunks, strings.Join(cur, "\n\n"))
		}
		cur, curTok = nil, 0
	}
	startChunk := func() {
		flush()
		if p := pathText(); p != "" {
			cur = append(cur, p+" (suite)")
			curTok = CountTokens(p) + 4
		}
	}
	add := func(s string) {
		n := CountTokens(s) + 2
		if curTok+n > limit && curTok > 0 {
			startChunk()
		}
		cur = append(cur, s)
		curTok += n
	}
	for _, u := range docUnits(text) {
		switch u.kind {
		case unitHeading:
			for len(path) > 0 && path[len(path)-1].level >= u.level {
				path = path[:len(path)-1]
			}
			// A new top section starts a new chunk when this one is well filled.
			if u.level <= 2 && curTok > limit*6/10 {
				flush()
			}
			path = append(path, u)
			add(u.text)
		case unitTable:
			if CountTokens(u.text)+2 <= limit-curTok || CountTokens(u.text)+2 <= limit/2 {
				add(u.text)
				continue
			}
			rows := strings.Split(u.text, "\n")
			header := rows[0]
			headTok := CountTokens(header) + 1
			part, partTok := []string{header}, headTok
			for _, r := range rows[1:] {
				r = truncateTokens(r, limit/3)
				rt := CountTokens(r) + 1
				if partTok+rt+curTok+2 > limit && len(part) > 1 {
					add(strings.Join(part, "\n"))
					startChunk()
					part, partTok = []string{header}, headTok
				}
				part = append(part, r)
				partTok += rt
			}
			add(strings.Join(part, "\n"))
		default:
			if CountTokens(u.text)+2 <= limit {
				add(u.text)
				continue
			}
			var buf []string
			bufTok := 0
			for _, s := range sentences(u.text) {
				s = truncateTokens(s, limit/3)
				st := CountTokens(s) + 1
				if bufTok+st > limit/2 && len(buf) > 0 {
					add(strings.Join(buf, " "))
					buf, bufTok = nil, 0
				}
				buf = append(buf, s)
				bufTok += st
			}
			if len(buf) > 0 {
				add(strings.Join(buf, " "))
			}
		}
	}
	flush()
	return chunks
}
