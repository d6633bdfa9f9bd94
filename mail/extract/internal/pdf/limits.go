package pdf

import (
	"errors"
	"fmt"
	"io"
)

// Limits bounds the work of a [Reader]. The zero value of each field
// applies its default.
type Limits struct {
	// Charge is told how many bytes the streams yield once decoded, as they
	// are produced; a stream read again is charged only past what it already
	// yielded. An error stops the reader. Default: no budget.
	Charge func(n int) error
	// Check is called every few kilobytes read and every few thousand steps
	// of text decoding; an error stops the reader. Give it the caller's
	// context. Default: never stops.
	Check func() error
	// MaxToken caps the bytes of one string, name or keyword (default 1 MiB).
	MaxToken int
	// MaxValues caps the values read for one object, or between two
	// operators of a content stream (default 262144).
	MaxValues int
	// MaxObjects caps object numbers (default 1048576).
	MaxObjects int
}

// Defaults of [Limits].
const (
	DefaultMaxToken   = 1 << 20
	DefaultMaxValues  = 1 << 18
	DefaultMaxObjects = 1 << 20
	// maxResolveDepth caps references followed to read one value.
	maxResolveDepth = 64
	// maxChain caps /Prev and /Extends chains.
	maxChain = 256
	// maxColumns caps the row width of a PNG predictor.
	maxColumns = 1 << 16
)

// ErrLimit reports that a document passed one of the [Limits].
var ErrLimit = errors.New("pdf: limit exceeded")

// Stop is the panic value that carries an error of [Limits] (ErrLimit, or
// what Charge or Check returned) out of the accessors of [Value], which
// report trouble by panicking. Callers recover it; the reader's own
// recovers let it through.
type Stop struct{ Err error }

// limiter applies Limits to one Reader. It is not safe for concurrent use,
// nor is the Reader.
type limiter struct {
	Limits
	charged map[int64]int64 // stream offset → decoded bytes charged
	steps   int
	depth   int // references being resolved
}

func newLimiter(l Limits) *limiter {
	for _, f := range []struct {
		v   *int
		def int
	}{
		{&l.MaxToken, DefaultMaxToken}, {&l.MaxValues, DefaultMaxValues}, {&l.MaxObjects, DefaultMaxObjects},
	} {
		if *f.v <= 0 {
			*f.v = f.def
		}
	}
	return &limiter{Limits: l, charged: map[int64]int64{}}
}

// limits returns the limiter of r, or a fresh default one for values that
// belong to no reader.
func (r *Reader) limits() *limiter {
	if r == nil || r.lim == nil {
		return newLimiter(Limits{})
	}
	return r.lim
}

// exceeded stops the reader with ErrLimit.
func exceeded(format string, args ...any) {
	panic(Stop{fmt.Errorf("%w: "+format, append([]any{ErrLimit}, args...)...)})
}

// check calls Check and stops the reader on its error.
func (l *limiter) check() {
	if l.Check == nil {
		return
	}
	if err := l.Check(); err != nil {
		panic(Stop{err})
	}
}

// step counts one step of work and checks every 4096 steps.
func (l *limiter) step() {
	l.steps++
	if l.steps&4095 == 0 {
		l.check()
	}
}

// object fails if object number x passes MaxObjects.
func (l *limiter) object(x int64) {
	if x < 0 || x >= int64(l.MaxObjects) {
		exceeded("object number %d, at most %d", x, l.MaxObjects)
	}
}

// chargeReader charges the decoded bytes of one stream as they are read.
type chargeReader struct {
	l   *limiter
	r   io.Reader
	key int64 // the stream's offset in the file
	pos int64
}

func (c *chargeReader) Read(p []byte) (int, error) {
	c.l.check()
	n, err := c.r.Read(p)
	c.pos += int64(n)
	if done := c.l.charged[c.key]; c.pos > done {
		c.l.charged[c.key] = c.pos
		if c.l.Charge != nil {
			if err := c.l.Charge(int(c.pos - done)); err != nil {
				panic(Stop{err})
			}
		}
	}
	return n, err
}

// lazyReader reads the streams of an array one after the other, opening
// each only when the previous one is done.
type lazyReader struct {
	arr Value
	i   int
	cur io.Reader
}

func (z *lazyReader) Read(p []byte) (int, error) {
	for {
		if z.cur == nil {
			if z.i >= z.arr.Len() {
				return 0, io.EOF
			}
			z.cur = z.arr.Index(z.i).Reader()
			z.i++
		}
		n, err := z.cur.Read(p)
		if err == io.EOF {
			z.cur = nil
			err = nil
		}
		if n > 0 || err != nil {
			return n, err
		}
	}
}
