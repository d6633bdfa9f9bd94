package extract

import (
	"encoding/binary"
	"fmt"
	"unicode/utf16"
)

// A compound file (CFB, "OLE2", [MS-CFB]) is a small file system inside
// one file: sectors chained through an allocation table, a directory of
// storages (folders) and streams (files), small streams in a mini stream.
// Outlook .msg files and legacy Office documents are compound files. This
// reader trusts nothing: every chain is bounded by the number of sectors
// (so a loop ends), every stream by its declared size and the document's
// budget.

// Special sector numbers of the allocation tables.
const (
	cfbFree       = 0xFFFFFFFF
	cfbEndOfChain = 0xFFFFFFFE
	cfbNoStream   = 0xFFFFFFFF
	// cfbMaxEntries caps the directory entries read.
	cfbMaxEntries = 1 << 16
)

// cfb is an opened compound file.
type cfb struct {
	b          *budget
	data       []byte
	sectorSize int
	fat        []uint32
	miniFAT    []uint32
	mini       []byte // the mini stream
	cutoff     uint64
	entries    []cfbEntry
}

// cfbEntry is one directory entry: a storage or a stream.
type cfbEntry struct {
	name               string
	kind               byte // 1 storage, 2 stream, 5 root
	left, right, child uint32
	start              uint32
	size               uint64
}

func cfbErr(format string, args ...any) error {
	return fmt.Errorf("%w: fichier composite OLE: "+format, append([]any{ErrMalformed}, args...)...)
}

// openCFB reads the header, allocation tables and directory of a compound file.
func openCFB(b *budget, data []byte) (*cfb, error) {
	if len(data) < 512 || string(data[:8]) != string(cdfMagic) {
		return nil, cfbErr("en-tête absent")
	}
	le := binary.LittleEndian
	shift := le.Uint16(data[0x1E:])
	if shift != 9 && shift != 12 || le.Uint16(data[0x20:]) != 6 {
		return nil, cfbErr("taille de secteur %d", shift)
	}
	c := &cfb{b: b, data: data, sectorSize: 1 << shift, cutoff: uint64(le.Uint32(data[0x38:]))}
	if c.cutoff == 0 || c.cutoff > 1<<20 {
		c.cutoff = 4096
	}
	nSectors := len(data)/c.sectorSize - 1
	// The allocation table's sectors: 109 in the header, then DIFAT sectors.
	var fatSectors []uint32
	for i := 0; i < 109; i++ {
		s := le.Uint32(data[0x4C+4*i:])
		if s != cfbFree && s != cfbEndOfChain {
			fatSectors = append(fatSectors, s)
		}
	}
	difat := le.Uint32(data[0x44:])
	for steps := 0; difat != cfbEndOfChain && difat != cfbFree; steps++ {
		if steps > nSectors {
			return nil, cfbErr("chaîne DIFAT en boucle")
		}
		sec, err := c.sector(difat)
		if err != nil {
			return nil, err
		}
		per := c.sectorSize/4 - 1
		for i := 0; i < per; i++ {
			if s := le.Uint32(sec[4*i:]); s != cfbFree && s != cfbEndOfChain {
				fatSectors = append(fatSectors, s)
			}
		}
		difat = le.Uint32(sec[4*per:])
	}
	if len(fatSectors) > nSectors+1 {
		return nil, cfbErr("table d'allocation plus grande que le fichier")
	}
	for _, s := range fatSectors {
		sec, err := c.sector(s)
		if err != nil {
			return nil, err
		}
		for i := 0; i < len(sec); i += 4 {
			c.fat = append(c.fat, le.Uint32(sec[i:]))
		}
	}
	if err := b.add(4 * len(c.fat)); err != nil {
		return nil, err
	}
	dir, err := c.chain(le.Uint32(data[0x30:]), c.fat, c.sectorSize, nil, 0)
	if err != nil {
		return nil, err
	}
	for i := 0; i+128 <= len(dir) && len(c.entries) < cfbMaxEntries; i += 128 {
		e := dir[i : i+128]
		n := int(le.Uint16(e[0x40:]))
		if n > 64 {
			n = 64
		}
		u := make([]uint16, 0, n/2)
		for j := 0; j+1 < n; j += 2 {
			if v := le.Uint16(e[j:]); v != 0 {
				u = append(u, v)
			}
		}
		c.entries = append(c.entries, cfbEntry{
			name: string(utf16.Decode(u)), kind: e[0x42],
			left: le.Uint32(e[0x44:]), right: le.Uint32(e[0x48:]), child: le.Uint32(e[0x4C:]),
			start: le.Uint32(e[0x74:]), size: le.Uint64(e[0x78:]),
		})
	}
	if len(c.entries) == 0 || c.entries[0].kind != 5 {
		return nil, cfbErr("répertoire sans racine")
	}
	if shift == 9 {
		for i := range c.entries {
			c.entries[i].size &= 0xFFFFFFFF // version 3: the high half is undefined
		}
	}
	root := c.entries[0]
	if root.size > 0 {
		if c.mini, err = c.chain(root.start, c.fat, c.sectorSize, nil, root.size); err != nil {
			return nil, err
		}
		mf, err := c.chain(le.Uint32(data[0x3C:]), c.fat, c.sectorSize, nil, 0)
		if err != nil {
			return nil, err
		}
		for i := 0; i+4 <= len(mf); i += 4 {
			c.miniFAT = append(c.miniFAT, le.Uint32(mf[i:]))
		}
	}
	return c, nil
}

// sector returns the bytes of sector n.
func (c *cfb) sector(n uint32) ([]byte, error) {
	off := (int64(n) + 1) * int64(c.sectorSize)
	if n >= cfbEndOfChain-2 || off+int64(c.sectorSize) > int64(len(c.data)) {
		// A last sector cut short is common; read what is there.
		if n < cfbEndOfChain-2 && off < int64(len(c.data)) {
			sec := make([]byte, c.sectorSize)
			copy(sec, c.data[off:])
			return sec, nil
		}
		return nil, cfbErr("secteur %d hors du fichier", n)
	}
	return c.data[off : off+int64(c.sectorSize)], nil
}

// chain reads the sectors chained from start in table: regular sectors
// of the file, or mini sectors of the mini stream when from is set. size,
// when not 0, caps what is returned. A chain longer than the table loops.
func (c *cfb) chain(start uint32, table []uint32, unit int, from []byte, size uint64) ([]byte, error) {
	var out []byte
	for steps := 0; start != cfbEndOfChain && start != cfbFree; steps++ {
		if steps > len(table) {
			return nil, cfbErr("chaîne de secteurs en boucle")
		}
		var sec []byte
		if from == nil {
			s, err := c.sector(start)
			if err != nil {
				return nil, err
			}
			sec = s
		} else {
			off := int64(start) * int64(unit)
			if off+int64(unit) > int64(len(from)) {
				return nil, cfbErr("mini-secteur %d hors du flux", start)
			}
			sec = from[off : off+int64(unit)]
		}
		if err := c.b.add(len(sec)); err != nil {
			return nil, err
		}
		if steps%64 == 0 {
			if err := c.b.check(); err != nil {
				return nil, err
			}
		}
		out = append(out, sec...)
		if size > 0 && uint64(len(out)) >= size {
			return out[:size], nil
		}
		if int(start) >= len(table) {
			return nil, cfbErr("secteur %d hors de la table", start)
		}
		start = table[start]
	}
	if size > 0 && uint64(len(out)) < size {
		return nil, cfbErr("flux tronqué")
	}
	return out, nil
}

// children returns the entries of a storage by name, walking its
// red-black tree with every entry visited once.
func (c *cfb) children(storage int) map[string]int {
	out := map[string]int{}
	if storage < 0 || storage >= len(c.entries) {
		return out
	}
	seen := make(map[uint32]bool)
	stack := []uint32{c.entries[storage].child}
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if id == cfbNoStream || int(id) >= len(c.entries) || seen[id] {
			continue
		}
		seen[id] = true
		e := c.entries[id]
		out[e.name] = int(id)
		stack = append(stack, e.left, e.right)
	}
	return out
}

// stream returns the content of a stream entry.
func (c *cfb) stream(id int) ([]byte, error) {
	if id < 0 || id >= len(c.entries) || c.entries[id].kind != 2 {
		return nil, cfbErr("flux %d absent", id)
	}
	e := c.entries[id]
	if e.size == 0 {
		return nil, nil
	}
	if e.size > uint64(len(c.data)) {
		return nil, cfbErr("flux plus grand que le fichier")
	}
	if e.size < c.cutoff {
		return c.chain(e.start, c.miniFAT, 64, c.mini, e.size)
	}
	return c.chain(e.start, c.fat, c.sectorSize, nil, e.size)
}
