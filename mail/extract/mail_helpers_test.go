package extract_test

import (
	"encoding/base64"
	"strings"
)

// mailWith writes a multipart message with one attachment.
func mailWith(subject, body, name, mediaType string, data []byte) []byte {
	var b strings.Builder
	b.WriteString("From: Jeanne Martin <jeanne.martin@somme.gouv.fr>\r\nTo: agent@somme.gouv.fr\r\nDate: Tue, 03 Mar 2026 10:00:00 +0100\r\n")
	b.WriteString("Subject: " + subject + "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n")
	b.WriteString("--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body + "\r\n")
	b.WriteString("--b1\r\nContent-Type: " + mediaType + "; name=\"" + name + "\"\r\nContent-Disposition: attachment; filename=\"" + name + "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n--b1--\r\n")
	return []byte(b.String())
}

// nestedMail wraps a message in message/rfc822 attachments depth times.
func nestedMail(depth int) []byte {
	raw := []byte("From: a@b.fr\r\nSubject: fond\r\n\r\nau fond\r\n")
	for i := 0; i < depth; i++ {
		raw = mailWith("niveau", "texte\r\n", "m.eml", "message/rfc822", raw)
	}
	return raw
}
