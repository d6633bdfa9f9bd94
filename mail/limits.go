package mail

import "fmt"

// Default limits applied when a [Limits] field is zero.
const (
	DefaultMaxSize  = 50 << 20 // 50 MiB
	DefaultMaxParts = 1000
	DefaultMaxDepth = 50
)

// Limits caps what [Parse], [ReadAttachment] and [ReadMbox] accept.
// The zero value applies the defaults.
type Limits struct {
	// MaxSize is the largest raw message in bytes; zero means 50 MiB.
	MaxSize int64
	// MaxParts is the largest number of MIME parts in one message (and of
	// messages in one mbox); zero means 1000.
	MaxParts int
	// MaxDepth is the deepest multipart nesting; zero means 50.
	MaxDepth int
}

func (l Limits) maxSize() int64 {
	if l.MaxSize <= 0 {
		return DefaultMaxSize
	}
	return l.MaxSize
}

func (l Limits) maxParts() int {
	if l.MaxParts <= 0 {
		return DefaultMaxParts
	}
	return l.MaxParts
}

func (l Limits) maxDepth() int {
	if l.MaxDepth <= 0 {
		return DefaultMaxDepth
	}
	return l.MaxDepth
}

// LimitError reports which limit a message passed. It matches [ErrTooLarge]
// with errors.Is.
type LimitError struct {
	// Limit names the Limits field, e.g. "MaxSize", or "header" for the
	// header block cap.
	Limit string
	// Max is the configured value of that limit.
	Max int64
}

// Error names the limit and its value.
func (e *LimitError) Error() string {
	return fmt.Sprintf("mail: message exceeds limit %s (%d)", e.Limit, e.Max)
}

// Unwrap returns [ErrTooLarge].
func (e *LimitError) Unwrap() error { return ErrTooLarge }

func tooLarge(limit string, max int64) error {
	return &LimitError{Limit: limit, Max: max}
}
