package texttrace

import (
	"bufio"
	"errors"
	"io"
)

// Limits that bound memory on hostile input: a real SIP message is a few
// KiB, and no log line is legitimately a megabyte long.
const (
	maxLine     = 1 << 20
	maxMessage  = 1 << 20
	maxProblems = 1000
)

// lineReader yields lines with their ends split off. A line longer than
// maxLine is cut there and the rest of it discarded.
type lineReader struct {
	r   *bufio.Reader
	buf []byte
	n   int // number of the line last returned, from 1
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 64<<10)}
}

// next returns the next line's content and end ("\r\n", "\n" or "" at
// the end of input), whether the line was cut, and io.EOF when there are
// no more lines. The slices are valid until the next call.
func (lr *lineReader) next() (content, eol []byte, cut bool, err error) {
	lr.buf = lr.buf[:0]
	for {
		chunk, err := lr.r.ReadSlice('\n')
		if len(lr.buf)+len(chunk) > maxLine {
			chunk = chunk[:maxLine-len(lr.buf)]
			cut = true
		}
		lr.buf = append(lr.buf, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, nil, cut, err
		}
		if err != nil && len(lr.buf) == 0 {
			return nil, nil, cut, io.EOF
		}
		lr.n++
		content, eol = splitEOL(lr.buf)
		return content, eol, cut, nil
	}
}

func splitEOL(b []byte) (content, eol []byte) {
	n := len(b)
	switch {
	case n >= 2 && b[n-2] == '\r' && b[n-1] == '\n':
		return b[:n-2], b[n-2:]
	case n >= 1 && b[n-1] == '\n':
		return b[:n-1], b[n-1:]
	}
	return b, nil
}
