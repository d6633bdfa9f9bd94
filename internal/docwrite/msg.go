package docwrite

import (
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"unicode/utf16"
)

// Msg is an Outlook message for MSG.
type Msg struct {
	Subject, FromName, FromAddr string
	To                          []string // SMTP addresses
	Body                        string   // plain text body; empty: RTF is used
	RTF                         string   // RTF body, written compressed (PR_RTF_COMPRESSED)
	Headers                     string   // PR_TRANSPORT_MESSAGE_HEADERS, as received
	Sensitivity                 int      // 0 none, 1 personal, 2 private, 3 confidential
	Attachments                 []MsgAttachment
}

// MsgAttachment is a file or a message attached to a Msg.
type MsgAttachment struct {
	Name, MediaType string
	Data            []byte
	Msg             *Msg // an attached message (attach method 5)
}

// MSG writes m as an Outlook .msg file: a compound file of MAPI properties.
func MSG(m Msg) []byte {
	return CFB(msgStorage(m, "", 32).Children...)
}

// Node is a storage (with children) or a stream (with data) of a compound file.
type Node struct {
	Name     string
	Data     []byte
	Storage  bool
	Children []Node
}

func utf16Bytes(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u)+2)
	for i, v := range u {
		binary.LittleEndian.PutUint16(b[2*i:], v)
	}
	return b
}

func msgStorage(m Msg, name string, header int) Node {
	st := Node{Name: name, Storage: true}
	str := func(n *Node, id uint16, v string) {
		if v != "" {
			n.Children = append(n.Children, Node{Name: fmt.Sprintf("__substg1.0_%04X001F", id), Data: utf16Bytes(v)})
		}
	}
	fixed := func(pairs ...uint32) []byte { // tag, value…
		b := make([]byte, 0, 16*len(pairs)/2)
		for i := 0; i+1 < len(pairs); i += 2 {
			e := make([]byte, 16)
			binary.LittleEndian.PutUint32(e, pairs[i])
			binary.LittleEndian.PutUint32(e[4:], 6) // readable, writable
			binary.LittleEndian.PutUint32(e[8:], pairs[i+1])
			b = append(b, e...)
		}
		return b
	}
	str(&st, 0x0037, m.Subject)
	str(&st, 0x0C1A, m.FromName)
	str(&st, 0x5D01, m.FromAddr)
	str(&st, 0x007D, m.Headers)
	str(&st, 0x1000, m.Body)
	str(&st, 0x0E04, strings.Join(m.To, "; "))
	if m.RTF != "" {
		st.Children = append(st.Children, Node{Name: "__substg1.0_10090102", Data: compressRTF(m.RTF)})
	}
	props := make([]byte, header)
	binary.LittleEndian.PutUint32(props[8:], uint32(len(m.To)))
	binary.LittleEndian.PutUint32(props[12:], uint32(len(m.Attachments)))
	props = append(props, fixed(0x00360003, uint32(m.Sensitivity))...)
	st.Children = append(st.Children, Node{Name: "__properties_version1.0", Data: props})
	for i, to := range m.To {
		r := Node{Name: fmt.Sprintf("__recip_version1.0_#%08X", i), Storage: true}
		str(&r, 0x3001, to)
		str(&r, 0x39FE, to)
		r.Children = append(r.Children, Node{Name: "__properties_version1.0", Data: append(make([]byte, 8), fixed(0x0C150003, 1)...)})
		st.Children = append(st.Children, r)
	}
	for i, a := range m.Attachments {
		n := Node{Name: fmt.Sprintf("__attach_version1.0_#%08X", i), Storage: true}
		str(&n, 0x3707, a.Name)
		str(&n, 0x370E, a.MediaType)
		method := uint32(1)
		if a.Msg != nil {
			method = 5
			n.Children = append(n.Children, msgStorage(*a.Msg, "__substg1.0_3701000D", 24))
		} else {
			n.Children = append(n.Children, Node{Name: "__substg1.0_37010102", Data: a.Data})
		}
		n.Children = append(n.Children, Node{Name: "__properties_version1.0", Data: append(make([]byte, 8), fixed(0x37050003, method)...)})
		st.Children = append(st.Children, n)
	}
	return st
}

// compressRTF writes s as compressed RTF ([MS-OXRTFCP]): a reference to
// the "{\rtf1" of the initial dictionary when s starts with it, then
// literals, then the end marker.
func compressRTF(s string) []byte {
	var out []byte
	var ctl byte
	var run []byte
	tokens := 0
	w := 207 // the initial dictionary's length
	flush := func() {
		out = append(out, ctl)
		out = append(out, run...)
		ctl, run, tokens = 0, nil, 0
	}
	ref := func(off, n int) {
		ctl |= 1 << tokens
		v := off<<4 | (n - 2)
		run = append(run, byte(v>>8), byte(v))
		tokens++
		if tokens == 8 {
			flush()
		}
	}
	if strings.HasPrefix(s, `{\rtf1`) {
		ref(0, 6)
		s, w = s[6:], w+6
	}
	for i := 0; i < len(s); i++ {
		run = append(run, s[i])
		tokens++
		w++
		if tokens == 8 {
			flush()
		}
	}
	ref(w%4096, 2)
	if tokens > 0 {
		flush()
	}
	h := make([]byte, 16)
	binary.LittleEndian.PutUint32(h, uint32(len(out)+12))
	binary.LittleEndian.PutUint32(h[4:], uint32(len(s)+6))
	copy(h[8:], "LZFu")
	return append(h, out...)
}

// CFB writes a compound file (version 3, 512-byte sectors) holding the
// given top-level nodes; streams under 4096 bytes go to the mini stream,
// as Windows writes them.
func CFB(top ...Node) []byte {
	const sec, end, free, fatSec = 512, 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
	type entry struct {
		name               string
		kind               byte
		left, right, child uint32
		start              uint32
		size               uint32
		data               []byte
	}
	entries := []entry{{name: "Root Entry", kind: 5, left: free, right: free, child: free}}
	var add func(parent int, nodes []Node)
	add = func(parent int, nodes []Node) {
		sorted := append([]Node(nil), nodes...)
		sort.Slice(sorted, func(i, j int) bool {
			a, b := strings.ToUpper(sorted[i].Name), strings.ToUpper(sorted[j].Name)
			if len(a) != len(b) {
				return len(a) < len(b)
			}
			return a < b
		})
		prev := -1
		for _, n := range sorted { // a right-leaning chain: a valid search tree
			id := len(entries)
			e := entry{name: n.Name, kind: 2, left: free, right: free, child: free, data: n.Data}
			if n.Storage {
				e.kind = 1
			}
			entries = append(entries, e)
			if prev < 0 {
				entries[parent].child = uint32(id)
			} else {
				entries[prev].right = uint32(id)
			}
			prev = id
			if n.Storage {
				add(id, n.Children)
			}
		}
	}
	add(0, top)
	var mini, big []byte
	var miniFAT, fat []uint32
	chain := func(table *[]uint32, first, n int) {
		for i := 0; i < n; i++ {
			next := uint32(first + i + 1)
			if i == n-1 {
				next = end
			}
			*table = append(*table, next)
		}
	}
	// Sector layout after the FAT: directory, mini FAT, mini stream, big streams.
	nDir := (len(entries)*128 + sec - 1) / sec
	for i := range entries {
		e := &entries[i]
		if e.kind != 2 {
			continue
		}
		e.size = uint32(len(e.data))
		if len(e.data) == 0 {
			e.start = end
			continue
		}
		if len(e.data) < 4096 {
			n := (len(e.data) + 63) / 64
			e.start = uint32(len(miniFAT))
			chain(&miniFAT, len(miniFAT), n)
			mini = append(mini, e.data...)
			mini = append(mini, make([]byte, n*64-len(e.data))...)
		}
	}
	nMiniFAT := (len(miniFAT)*4 + sec - 1) / sec
	nMini := (len(mini) + sec - 1) / sec
	bigStart := nDir + nMiniFAT + nMini
	for i := range entries {
		e := &entries[i]
		if e.kind == 2 && len(e.data) >= 4096 {
			e.start = uint32(bigStart + len(big)/sec) // relative; shifted by nFAT below
			n := (len(e.data) + sec - 1) / sec
			big = append(big, e.data...)
			big = append(big, make([]byte, n*sec-len(e.data))...)
		}
	}
	total := bigStart + len(big)/sec
	nFAT := 1
	for nFAT*128 < total+nFAT {
		nFAT++
	}
	for i := 0; i < nFAT; i++ {
		fat = append(fat, fatSec)
	}
	chain(&fat, nFAT, nDir)
	chain(&fat, nFAT+nDir, nMiniFAT)
	chain(&fat, nFAT+nDir+nMiniFAT, nMini)
	for i := range entries {
		e := &entries[i]
		if e.kind == 2 && len(e.data) >= 4096 {
			e.start += uint32(nFAT)
			chain(&fat, int(e.start), (len(e.data)+sec-1)/sec)
		}
	}
	if nMini > 0 {
		entries[0].start, entries[0].size = uint32(nFAT+nDir+nMiniFAT), uint32(len(mini))
	} else {
		entries[0].start = end
	}
	for len(fat)%128 != 0 {
		fat = append(fat, free)
	}
	le := binary.LittleEndian
	h := make([]byte, sec)
	copy(h, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
	le.PutUint16(h[0x18:], 0x3E)
	le.PutUint16(h[0x1A:], 3)
	le.PutUint16(h[0x1C:], 0xFFFE)
	le.PutUint16(h[0x1E:], 9)
	le.PutUint16(h[0x20:], 6)
	le.PutUint32(h[0x2C:], uint32(nFAT))
	le.PutUint32(h[0x30:], uint32(nFAT))
	le.PutUint32(h[0x38:], 4096)
	le.PutUint32(h[0x3C:], end)
	if nMiniFAT > 0 {
		le.PutUint32(h[0x3C:], uint32(nFAT+nDir))
	}
	le.PutUint32(h[0x40:], uint32(nMiniFAT))
	le.PutUint32(h[0x44:], end)
	for i := 0; i < 109; i++ {
		v := uint32(free)
		if i < nFAT {
			v = uint32(i)
		}
		le.PutUint32(h[0x4C+4*i:], v)
	}
	out := h
	for _, v := range fat {
		out = le.AppendUint32(out, v)
	}
	dir := make([]byte, nDir*sec)
	for i, e := range entries {
		d := dir[i*128:]
		u := utf16Bytes(e.name)
		copy(d, u)
		le.PutUint16(d[0x40:], uint16(len(u)))
		d[0x42], d[0x43] = e.kind, 1
		le.PutUint32(d[0x44:], e.left)
		le.PutUint32(d[0x48:], e.right)
		le.PutUint32(d[0x4C:], e.child)
		le.PutUint32(d[0x74:], e.start)
		le.PutUint32(d[0x78:], e.size)
	}
	for i := len(entries); i < nDir*4; i++ {
		le.PutUint32(dir[i*128+0x44:], free)
		le.PutUint32(dir[i*128+0x48:], free)
		le.PutUint32(dir[i*128+0x4C:], free)
	}
	out = append(out, dir...)
	mf := make([]byte, nMiniFAT*sec)
	for i := range mf[:] {
		mf[i] = 0xFF
	}
	for i, v := range miniFAT {
		le.PutUint32(mf[4*i:], v)
	}
	out = append(out, mf...)
	out = append(out, mini...)
	out = append(out, make([]byte, nMini*sec-len(mini))...)
	return append(out, big...)
}
