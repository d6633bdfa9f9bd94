package assist

import (
	"strings"
	"sync"

	"github.com/pkoukk/tiktoken-go"
	tiktoken_loader "github.com/pkoukk/tiktoken-go-loader"
)

// tokenizer is the shared encoder, loaded once from the BPE ranks embedded
// in tiktoken-go-loader: no network access, ever.
var tokenizer struct {
	once sync.Once
	enc  *tiktoken.Tiktoken
}

func encoder() *tiktoken.Tiktoken {
	tokenizer.once.Do(func() {
		tiktoken.SetBpeLoader(tiktoken_loader.NewOfflineLoader())
		enc, err := tiktoken.GetEncoding("cl100k_base")
		if err == nil {
			tokenizer.enc = enc
		}
	})
	return tokenizer.enc
}

// CountTokens returns the number of cl100k_base tokens of s. Open models
// (Mistral, Llama) tokenise French slightly differently; the count is an
// estimate good to a few percent, which the budget's margin absorbs.
func CountTokens(s string) int {
	if s == "" {
		return 0
	}
	if enc := encoder(); enc != nil {
		return len(enc.Encode(s, nil, nil))
	}
	// The embedded ranks failed to load: a conservative estimate.
	return len(s)/3 + 1
}

// truncateTokens returns the longest prefix of s holding at most n tokens.
func truncateTokens(s string, n int) string {
	if n <= 0 {
		return ""
	}
	enc := encoder()
	if enc == nil {
		if len(s) <= 3*n {
			return s
		}
		return validPrefix(s, 3*n)
	}
	toks := enc.Encode(s, nil, nil)
	if len(toks) <= n {
		return s
	}
	return validPrefix(enc.Decode(toks[:n]), len(s))
}

// validPrefix cuts s to at most n bytes and drops any partial UTF-8
// sequence left by the cut or by token decoding.
func validPrefix(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.ToValidUTF8(s, "")
}
