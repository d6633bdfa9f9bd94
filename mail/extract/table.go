package extract

import "strings"

// tables is a stack of tables being read; nested tables are flattened
// into the cell of their parent.
type tables struct {
	stack []*table
}

type table struct {
	rows    [][]string
	row     []string
	cell    strings.Builder
	pending int // empty cells not yet written (repeated cells of ODF)
}

// maxCols caps the cells of one table row.
const maxCols = 512

func (t *tables) open() bool { return len(t.stack) > 0 }

func (t *tables) begin() {
	if len(t.stack) >= maxDepth {
		panic(abort{ErrTooLarge})
	}
	t.stack = append(t.stack, &table{})
}
func (t *tables) beginRow() {
	if tb := t.top(); tb != nil {
		tb.row = nil
	}
}
func (t *tables) beginCell() {
	if tb := t.top(); tb != nil {
		tb.cell.Reset()
	}
}

// text adds a paragraph to the current cell.
func (t *tables) text(s string) {
	tb := t.top()
	if tb == nil {
		return
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	if tb.cell.Len() > 0 {
		tb.cell.WriteByte(' ')
	}
	tb.cell.WriteString(s)
}

func (t *tables) endCell(repeat int) {
	tb := t.top()
	if tb == nil {
		return
	}
	text := tb.cell.String()
	tb.cell.Reset()
	if strings.TrimSpace(text) == "" {
		tb.pending = min(tb.pending+max(1, repeat), maxCols)
		return
	}
	for ; tb.pending > 0 && len(tb.row) < maxCols; tb.pending-- {
		tb.row = append(tb.row, "")
	}
	tb.pending = 0
	for i := 0; i < max(1, repeat) && len(tb.row) < maxCols; i++ {
		tb.row = append(tb.row, text)
	}
}

// endRow closes the current row and adds it repeat times; it returns the
// number of rows added. Empty rows are not kept.
func (t *tables) endRow(repeat, limit int) int {
	tb := t.top()
	if tb == nil {
		return 0
	}
	row := tb.row
	tb.row, tb.pending = nil, 0
	if len(row) == 0 {
		return 0
	}
	n := 0
	for i := 0; i < max(1, repeat) && (limit <= 0 || len(tb.rows) < limit); i++ {
		tb.rows = append(tb.rows, row)
		n++
	}
	return n
}

// end closes the current table and returns its rows when it was the
// outermost one; an inner table becomes text of its parent's cell.
func (t *tables) end() [][]string {
	tb := t.top()
	if tb == nil {
		return nil
	}
	t.stack = t.stack[:len(t.stack)-1]
	if len(t.stack) == 0 {
		return tb.rows
	}
	var parts []string
	for _, r := range tb.rows {
		parts = append(parts, strings.Join(r, " ; "))
	}
	t.text(strings.Join(parts, " / "))
	return nil
}

func (t *tables) top() *table {
	if len(t.stack) == 0 {
		return nil
	}
	return t.stack[len(t.stack)-1]
}
