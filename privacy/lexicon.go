package privacy

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"sort"
	"strings"
	"sync"
)

//go:generate go run lexicongen.go -in /usr/share/dict/french -out lexicon.fc.gz

// lexiconData is Debian's French word list (package wfrench), front-coded
// and gzipped by lexicongen.go.
//
//go:embed lexicon.fc.gz
var lexiconData []byte

// lexicon is the set of French common words, folded (foldString), sorted:
// one string and the start of each word in it.
type lexicon struct {
	all   string
	start []uint32
}

var (
	lexiconOnce sync.Once
	lexiconSet  *lexicon
)

// frenchWords returns the lexicon, read once per process.
func frenchWords() *lexicon {
	lexiconOnce.Do(func() { lexiconSet = readLexicon(lexiconData) })
	return lexiconSet
}

// readLexicon decodes lexiconData; a damaged file gives an empty lexicon
// (every capitalised word then looks like a name: more is replaced, not less).
func readLexicon(data []byte) *lexicon {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return &lexicon{}
	}
	var words []string
	prev := ""
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		n := int(line[0] - '0')
		if n < 0 || n > len(prev) {
			break
		}
		w := prev[:n] + line[1:]
		words = append(words, foldString(w))
		prev = w
	}
	sort.Strings(words)
	words = compactSorted(words)
	l := &lexicon{start: make([]uint32, len(words))}
	var b strings.Builder
	for i, w := range words {
		l.start[i] = uint32(b.Len())
		b.WriteString(w)
	}
	l.all = b.String()
	return l
}

// compactSorted drops repeated words of a sorted slice.
func compactSorted(ws []string) []string {
	out := ws[:0]
	for i, w := range ws {
		if i == 0 || w != ws[i-1] {
			out = append(out, w)
		}
	}
	return out
}

func (l *lexicon) word(i int) string {
	end := len(l.all)
	if i+1 < len(l.start) {
		end = int(l.start[i+1])
	}
	return l.all[l.start[i]:end]
}

// has reports whether the folded word f is a French common word. A
// hyphenated word is common when each of its parts is ("Val-de-Marne" is
// not a person's name; "Anne-Sophie" is).
func (l *lexicon) has(f string) bool {
	if l.contains(f) {
		return true
	}
	if !strings.Contains(f, "-") {
		return false
	}
	for _, p := range strings.Split(f, "-") {
		if p != "" && !l.contains(p) {
			return false
		}
	}
	return true
}

func (l *lexicon) contains(f string) bool {
	i := sort.Search(len(l.start), func(i int) bool { return l.word(i) >= f })
	return i < len(l.start) && l.word(i) == f
}
