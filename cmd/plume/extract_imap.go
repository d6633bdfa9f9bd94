package main

import (
	"fmt"
	"io"
)

// extractIMAP prints the thread of one message read over IMAP.
func extractIMAP(imapURL, messageID string, asJSON bool, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "plume extract --imap: not available yet (IMAP source being written)")
	return 1
}
