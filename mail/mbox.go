package mail

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// ReadMbox splits an mbox (mboxo or mboxrd: ">From " lines are unescaped)
// into raw messages. Input that does not start with a "From " line is taken
// as a single message (.eml). Each message is capped by lim.MaxSize and the
// number of messages by lim.MaxParts; past a cap the error wraps
// [ErrTooLarge]. Empty input returns [ErrMalformed].
func ReadMbox(r io.Reader, lim Limits) ([][]byte, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(5)
	if len(head) == 0 {
		return nil, fmt.Errorf("%w: empty input", ErrMalformed)
	}
	if string(head) != "From " {
		data, err := io.ReadAll(io.LimitReader(br, lim.maxSize()+1))
		if err != nil {
			return nil, fmt.Errorf("mail: reading message: %w", err)
		}
		if int64(len(data)) > lim.maxSize() {
			return nil, tooLarge("MaxSize", lim.maxSize())
		}
		return [][]byte{data}, nil
	}
	var msgs [][]byte
	var cur []byte
	in := false
	prevBlank := true
	flush := func() {
		if in {
			cur = bytes.TrimSuffix(cur, []byte("\n"))
			cur = bytes.TrimSuffix(cur, []byte("\r"))
			msgs = append(msgs, cur)
		}
		cur = nil
	}
	for {
		line, err := readLine(br, lim.maxSize()+1)
		if len(line) > 0 {
			switch {
			case prevBlank && bytes.HasPrefix(line, []byte("From ")):
				flush()
				if len(msgs) >= lim.maxParts() {
					return nil, tooLarge("MaxParts", int64(lim.maxParts()))
				}
				in = true
			default:
				if isEscapedFrom(line) {
					line = line[1:]
				}
				cur = append(cur, line...)
				if int64(len(cur)) > lim.maxSize() {
					return nil, tooLarge("MaxSize", lim.maxSize())
				}
			}
			prevBlank = len(bytes.TrimRight(line, "\r\n")) == 0
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("mail: reading mbox: %w", err)
		}
	}
	flush()
	return msgs, nil
}

// readLine reads one line with its end, up to max bytes.
func readLine(br *bufio.Reader, max int64) ([]byte, error) {
	var out []byte
	for {
		chunk, err := br.ReadSlice('\n')
		out = append(out, chunk...)
		if err == bufio.ErrBufferFull && int64(len(out)) <= max {
			continue
		}
		return out, err
	}
}

// isEscapedFrom reports an mboxrd-escaped line: one or more '>' then "From ".
func isEscapedFrom(line []byte) bool {
	i := 0
	for i < len(line) && line[i] == '>' {
		i++
	}
	return i > 0 && bytes.HasPrefix(line[i:], []byte("From "))
}
