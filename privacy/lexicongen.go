//go:build ignore

// Lexicongen writes lexicon.fc.gz, the French common words that the name
// finder takes for "not a name", from Debian's wfrench word list
// (/usr/share/dict/french; scripts/deps.sh installs it):
//
//	go generate ./privacy
//
// Words are kept as written (lower case, accents), sorted, one per line,
// each line starting with one byte '0'+n, n being the number of bytes it
// shares with the line before (front coding), the whole gzipped: 4 MB of
// words in about 200 KB.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"flag"
	"log"
	"os"
	"slices"
	"strings"
	"unicode"
)

func main() {
	in := flag.String("in", "/usr/share/dict/french", "word list, one word a line")
	out := flag.String("out", "lexicon.fc.gz", "output file")
	flag.Parse()
	f, err := os.Open(*in)
	if err != nil {
		log.Fatalf("lexicongen: %v (install Debian's wfrench: scripts/deps.sh)", err)
	}
	defer f.Close()
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		w := strings.ToLower(strings.TrimSpace(sc.Text()))
		if w == "" || strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' && r != '\'' }) >= 0 {
			continue
		}
		seen[w] = true
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	words := make([]string, 0, len(seen))
	for w := range seen {
		words = append(words, w)
	}
	slices.Sort(words)
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	prev := ""
	for _, w := range words {
		n := 0
		for n < len(w) && n < len(prev) && n < 74 && w[n] == prev[n] {
			n++
		}
		zw.Write([]byte{byte('0' + n)})
		zw.Write([]byte(w[n:] + "\n"))
		prev = w
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("lexicongen: %d words from %s, %d bytes in %s", len(words), *in, buf.Len(), *out)
}
