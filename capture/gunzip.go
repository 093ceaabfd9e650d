package capture

import (
	"fmt"
	"io"
)

// A gzip member can inflate a thousandfold: a 1 MB file of zeros becomes
// 1 GB of frames to read, index and hold. Real captures compress a few
// times (SIP text four to eight, keep-alives more), so what comes out of
// a compressed file is bounded at a hundred times the file, and at least
// 64 MiB; a stream of unknown size (standard input) at 16 GiB.

// ErrInflated is what reading a compressed capture past its bound
// returns. It is a kind of ErrTruncated: what was read before is kept
// and reported, with a warning.
var ErrInflated error = inflated{}

type inflated struct{}

func (inflated) Error() string { return "decompressed past its bound" }
func (inflated) Unwrap() error { return ErrTruncated }

// inflatedError is ErrInflated with the file and the bound in words.
type inflatedError struct{ msg string }

func (e inflatedError) Error() string { return e.msg }
func (e inflatedError) Unwrap() error { return ErrInflated }

// GunzipLimit is how much a compressed file of size bytes (-1 unknown) may
// inflate to.
func GunzipLimit(size int64) int64 {
	if size <= 0 {
		return 16 << 30
	}
	return max(64<<20, 100*size)
}

// Capped returns r, which reads the decompressed content of a file,
// stopping with a clear error (ErrInflated) past limit bytes.
func Capped(r io.Reader, limit int64) io.Reader {
	return &capped{r: r, left: limit, limit: limit}
}

type capped struct {
	r           io.Reader
	left, limit int64
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, inflatedError{fmt.Sprintf("more than %d MiB once decompressed (a hundred times the file: a gzip bomb?): "+
			"gunzip it and open the capture itself, which has no such bound", c.limit>>20)}
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
