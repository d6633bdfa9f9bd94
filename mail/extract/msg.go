package extract

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"mime"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// An Outlook .msg file is a compound file holding one message as MAPI
// properties ([MS-OXMSG]): the subject, sender, recipients, the Internet
// headers it arrived with (PR_TRANSPORT_MESSAGE_HEADERS), the body as
// text, HTML or compressed RTF, and attachments, an attached message
// being a nested storage. readMSG rewrites it as the Internet message it
// stands for and reads that through readEML, so that the message and its
// attached messages join Document.Mails and their markings are checked
// by the rules of a top-level mail.

// MAPI property ids read from a message.
const (
	prSubject          = 0x0037
	prSensitivity      = 0x0036
	prSubmitTime       = 0x0039
	prTransportHeaders = 0x007D
	prSenderName       = 0x0C1A
	prSenderEmail      = 0x0C1F
	prSenderSMTP       = 0x5D01
	prDisplayTo        = 0x0E04
	prDisplayCc        = 0x0E03
	prDeliveryTime     = 0x0E06
	prBody             = 0x1000
	prRTFCompressed    = 0x1009
	prHTML             = 0x1013
	prMessageID        = 0x1035
	prRecipientType    = 0x0C15
	prDisplayName      = 0x3001
	prEmailAddress     = 0x3003
	prSMTPAddress      = 0x39FE
	prAttachData       = 0x3701
	prAttachFilename   = 0x3704
	prAttachMethod     = 0x3705
	prAttachLongName   = 0x3707
	prAttachMime       = 0x370E
	prInternetCPID     = 0x3FDE

	attachEmbeddedMsg = 5
	// maxMsgParts caps the recipients and attachments of one message read.
	maxMsgParts = 500
)

// readMSG reads an Outlook message.
func readMSG(b *budget, data []byte, doc *Document) error {
	c, err := openCFB(b, data)
	if err != nil {
		return err
	}
	raw, err := msgToMIME(c, 0, 32, 0)
	if err != nil {
		return err
	}
	if err := readEML(b, raw, doc); err != nil {
		return err
	}
	doc.Notes = append(doc.Notes, "message Outlook (.msg) lu comme un courriel")
	return nil
}

// msgProps are the properties of one storage: variable-length ones from
// their streams, fixed-length ones from the properties stream.
type msgProps struct {
	c       *cfb
	entries map[string]int
	fixed   map[uint16][8]byte
	cpid    int
}

func readMsgProps(c *cfb, storage, headerSize int) (*msgProps, error) {
	p := &msgProps{c: c, entries: c.children(storage), fixed: map[uint16][8]byte{}}
	if id, ok := p.entries["__properties_version1.0"]; ok {
		s, err := c.stream(id)
		if err != nil {
			return nil, err
		}
		for i := headerSize; i+16 <= len(s); i += 16 {
			var v [8]byte
			copy(v[:], s[i+8:i+16])
			p.fixed[uint16(binary.LittleEndian.Uint32(s[i:])>>16)] = v
		}
	}
	if v, ok := p.fixed[prInternetCPID]; ok {
		p.cpid = int(binary.LittleEndian.Uint32(v[:]))
	}
	return p, nil
}

// storages returns the names of the sub-storages with the given prefix
// (recipients, attachments), in order, at most maxMsgParts.
func (p *msgProps) storages(prefix string) []string {
	var names []string
	for name := range p.entries {
		if strings.HasPrefix(name, prefix) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names[:min(len(names), maxMsgParts)]
}

// stream returns a variable-length property of the given type.
func (p *msgProps) stream(id uint16, typ string) ([]byte, bool) {
	e, ok := p.entries[fmt.Sprintf("__substg1.0_%04X%s", id, typ)]
	if !ok {
		return nil, false
	}
	s, err := p.c.stream(e)
	if err != nil {
		return nil, false
	}
	return s, true
}

// str returns a string property, Unicode or 8-bit.
func (p *msgProps) str(id uint16) string {
	if s, ok := p.stream(id, "001F"); ok {
		u := make([]uint16, 0, len(s)/2)
		for i := 0; i+1 < len(s); i += 2 {
			u = append(u, binary.LittleEndian.Uint16(s[i:]))
		}
		return strings.TrimRight(string(utf16.Decode(u)), "\x00")
	}
	if s, ok := p.stream(id, "001E"); ok {
		return strings.TrimRight(decode8(s), "\x00")
	}
	return ""
}

// decode8 decodes 8-bit MAPI strings: UTF-8 when valid, else Windows-1252.
func decode8(s []byte) string {
	if utf8.Valid(s) {
		return string(s)
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(s)
	if err != nil {
		return string(s)
	}
	return string(out)
}

func (p *msgProps) long(id uint16) (int, bool) {
	v, ok := p.fixed[id]
	return int(binary.LittleEndian.Uint32(v[:])), ok
}

func (p *msgProps) time(id uint16) (time.Time, bool) {
	v, ok := p.fixed[id]
	ft := binary.LittleEndian.Uint64(v[:])
	if !ok || ft == 0 {
		return time.Time{}, false
	}
	// FILETIME: 100 ns ticks since 1601-01-01.
	const epochDiff = 116444736000000000
	if ft < epochDiff || ft > epochDiff+(1<<62) {
		return time.Time{}, false
	}
	return time.Unix(0, 0).Add(time.Duration(ft-epochDiff) * 100).UTC(), true
}

// msgToMIME writes the message of a storage as an Internet message:
// headers, the body and every attachment as base64 parts, attached
// messages as message/rfc822 parts, depth capped.
func msgToMIME(c *cfb, storage, headerSize, depth int) ([]byte, error) {
	if depth > maxMailDepth {
		return nil, fmt.Errorf("%w: messages joints trop imbriqués", ErrTooLarge)
	}
	p, err := readMsgProps(c, storage, headerSize)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	writeMsgHeaders(&out, p, c)
	boundary := "=_plume_msg_" + strconv.Itoa(depth)
	out.WriteString("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n")
	part := func(header string, body []byte) {
		out.WriteString("--" + boundary + "\r\n" + header + "Content-Transfer-Encoding: base64\r\n\r\n")
		enc := base64.StdEncoding.EncodeToString(body)
		for len(enc) > 76 {
			out.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		out.WriteString(enc + "\r\n")
	}
	switch {
	case p.str(prBody) != "":
		part("Content-Type: text/plain; charset=utf-8\r\n", []byte(p.str(prBody)))
	case p.html() != nil:
		part("Content-Type: text/html; charset=utf-8\r\n", p.html())
	default:
		if rtf, ok := p.stream(prRTFCompressed, "0102"); ok {
			if text, err := decompressRTF(c.b, rtf); err == nil {
				sub := &Document{}
				if err := readRTF(c.b, text, sub); err == nil {
					part("Content-Type: text/plain; charset=utf-8\r\n", []byte(sub.Text))
				}
			}
		}
	}
	for _, name := range p.storages("__attach_version1.0_#") {
		if err := c.b.check(); err != nil {
			return nil, err
		}
		id := p.entries[name]
		a, err := readMsgProps(c, id, 8)
		if err != nil {
			return nil, err
		}
		fname := a.str(prAttachLongName)
		if fname == "" {
			fname = a.str(prAttachFilename)
		}
		if fname == "" {
			fname = a.str(prDisplayName)
		}
		disp := "Content-Disposition: attachment; filename*=utf-8''" + percentEncode(headerSafe(fname)) + "\r\n"
		if method, _ := a.long(prAttachMethod); method == attachEmbeddedMsg {
			sub, ok := a.entries["__substg1.0_3701000D"]
			if !ok {
				continue
			}
			inner, err := msgToMIME(c, sub, 24, depth+1)
			if err != nil {
				return nil, err
			}
			out.WriteString("--" + boundary + "\r\nContent-Type: message/rfc822\r\n" + disp + "\r\n")
			out.Write(inner)
			out.WriteString("\r\n")
			continue
		}
		body, ok := a.stream(prAttachData, "0102")
		if !ok {
			continue
		}
		mt := headerSafe(a.str(prAttachMime))
		if mt == "" || !strings.Contains(mt, "/") {
			mt = "application/octet-stream"
		}
		part("Content-Type: "+mt+"\r\n"+disp, body)
	}
	out.WriteString("--" + boundary + "--\r\n")
	return out.Bytes(), nil
}

// html returns the HTML body, as UTF-8.
func (p *msgProps) html() []byte {
	if s := p.str(prHTML); s != "" {
		return []byte(s)
	}
	if s, ok := p.stream(prHTML, "0102"); ok && len(s) > 0 {
		if p.cpid == 65001 || utf8.Valid(s) {
			return s
		}
		return []byte(decode8(s))
	}
	return nil
}

// headerSafe keeps a header value on one line.
func headerSafe(s string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if r < 0x20 || r == '"' || r == '\\' {
			return ' '
		}
		return r
	}, s)), " ")
}

// encodeHeader encodes a header value, non-ASCII as encoded words.
func encodeHeader(s string) string {
	return mime.QEncoding.Encode("utf-8", headerSafe(s))
}

// writeMsgHeaders writes the message's Internet headers: the transport
// headers it arrived with (its own MIME structure left out), else headers
// made from its properties.
func writeMsgHeaders(out *bytes.Buffer, p *msgProps, c *cfb) {
	if h := p.str(prTransportHeaders); strings.Contains(h, ":") {
		skip := false
		for _, line := range strings.Split(strings.ReplaceAll(h, "\r\n", "\n"), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			if line[0] == ' ' || line[0] == '\t' {
				if !skip {
					out.WriteString(line + "\r\n")
				}
				continue
			}
			name, _, ok := strings.Cut(line, ":")
			name = strings.ToLower(strings.TrimSpace(name))
			skip = !ok || strings.ContainsAny(name, " \t") || strings.HasPrefix(name, "content-") || name == "mime-version"
			if !skip {
				out.WriteString(line + "\r\n")
			}
		}
		return
	}
	from := p.str(prSenderSMTP)
	if from == "" && strings.Contains(p.str(prSenderEmail), "@") {
		from = p.str(prSenderEmail)
	}
	if name := p.str(prSenderName); name != "" || from != "" {
		out.WriteString("From: " + address(name, from) + "\r\n")
	}
	var to, cc []string
	for _, name := range p.storages("__recip_version1.0_#") {
		r, err := readMsgProps(c, p.entries[name], 8)
		if err != nil {
			continue
		}
		addr := r.str(prSMTPAddress)
		if addr == "" && strings.Contains(r.str(prEmailAddress), "@") {
			addr = r.str(prEmailAddress)
		}
		switch typ, _ := r.long(prRecipientType); typ {
		case 2:
			cc = append(cc, address(r.str(prDisplayName), addr))
		case 3: // Bcc: not shown
		default:
			to = append(to, address(r.str(prDisplayName), addr))
		}
	}
	if len(to) == 0 && p.str(prDisplayTo) != "" {
		to = append(to, encodeHeader(p.str(prDisplayTo))+" :;")
	}
	if len(to) > 0 {
		out.WriteString("To: " + strings.Join(to, ",\r\n ") + "\r\n")
	}
	if len(cc) > 0 {
		out.WriteString("Cc: " + strings.Join(cc, ",\r\n ") + "\r\n")
	}
	if t, ok := p.time(prSubmitTime); ok {
		out.WriteString("Date: " + t.Format(time.RFC1123Z) + "\r\n")
	} else if t, ok := p.time(prDeliveryTime); ok {
		out.WriteString("Date: " + t.Format(time.RFC1123Z) + "\r\n")
	}
	out.WriteString("Subject: " + encodeHeader(p.str(prSubject)) + "\r\n")
	if id := headerSafe(p.str(prMessageID)); id != "" {
		out.WriteString("Message-ID: " + id + "\r\n")
	}
	if s, ok := p.long(prSensitivity); ok && s > 0 && s <= 3 {
		out.WriteString("Sensitivity: " + [...]string{"", "Personal", "Private", "Company-Confidential"}[s] + "\r\n")
	}
}

// address writes a mailbox with a display name, or a group when there is
// no address.
func address(name, addr string) string {
	addr = headerSafe(addr)
	if strings.ContainsAny(addr, "<>,; ") || !strings.Contains(addr, "@") {
		addr = ""
	}
	switch {
	case addr == "":
		return encodeHeader(name) + " :;"
	case name == "":
		return "<" + addr + ">"
	}
	return encodeHeader(name) + " <" + addr + ">"
}

// rtfPrebuf is the dictionary that compressed RTF starts from ([MS-OXRTFCP] 2.1.2.1).
const rtfPrebuf = "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx"

// decompressRTF expands PR_RTF_COMPRESSED ([MS-OXRTFCP]), within the budget.
func decompressRTF(b *budget, data []byte) ([]byte, error) {
	if len(data) < 16 {
		return nil, fmt.Errorf("%w: RTF compressé tronqué", ErrMalformed)
	}
	le := binary.LittleEndian
	rawSize := int64(le.Uint32(data[4:]))
	switch string(data[8:12]) {
	case "MELA": // stored uncompressed
		return data[16:min(len(data), 16+int(min(rawSize, int64(len(data)))))], nil
	case "LZFu":
	default:
		return nil, fmt.Errorf("%w: RTF compressé de type inconnu", ErrMalformed)
	}
	if rawSize > b.lim.MaxBytes {
		return nil, fmt.Errorf("%w: RTF de %d octets", ErrTooLarge, rawSize)
	}
	var dict [4096]byte
	copy(dict[:], rtfPrebuf)
	w := len(rtfPrebuf)
	out := make([]byte, 0, rawSize)
	in := data[16:]
	for i := 0; i < len(in); {
		ctl := in[i]
		i++
		for bit := 0; bit < 8 && i < len(in); bit++ {
			if ctl&(1<<bit) == 0 {
				out = append(out, in[i])
				dict[w%4096] = in[i]
				w++
				i++
			} else {
				if i+1 >= len(in) {
					return out, nil
				}
				ref := int(in[i])<<8 | int(in[i+1])
				i += 2
				off, n := ref>>4, ref&0xF+2
				if off == w%4096 {
					return out, nil
				}
				for k := 0; k < n; k++ {
					c := dict[(off+k)%4096]
					out = append(out, c)
					dict[w%4096] = c
					w++
				}
			}
			if int64(len(out)) > rawSize+16 {
				return out[:rawSize], nil
			}
		}
	}
	return out, nil
}

// percentEncode encodes a parameter value for RFC 2231 (filename*=).
func percentEncode(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			sb.WriteByte(c)
		} else {
			fmt.Fprintf(&sb, "%%%02X", c)
		}
	}
	return sb.String()
}
