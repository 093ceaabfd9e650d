package capture

import (
	"bytes"
	"os"
	"strconv"
	"unsafe"
)

// A report reads a mapped capture in the order of its calls, here and
// there. Each fault maps a few neighbouring pages too (the kernel's
// fault-around), and handing them back costs a pass over what is mapped,
// so releasing after every few calls costs more than the reading. Instead
// a report asks often, and the pages go back only once the resident part
// has grown past a window.

// residentFile returns the process's resident file-backed memory: the
// mapped capture's pages, and the program's own. Linux has it in
// /proc/self/statm (third field, in pages); elsewhere ok is false.
func residentFile() (n int64, ok bool) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	f := bytes.Fields(b)
	if len(f) < 3 {
		return 0, false
	}
	pages, err := strconv.ParseInt(string(f[2]), 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * int64(os.Getpagesize()), true
}

// releaseOver is Release when more than limit bytes of file-backed memory
// are resident (or when that cannot be known).
func (rd *Reader) releaseOver(limit int64) {
	if rd.mapped == nil {
		return
	}
	if n, ok := residentFile(); ok && n <= limit {
		return
	}
	rd.Release()
}

// ReleaseBehind hands back the pages of the file that lie before the
// bytes at, which must be a slice of a Stable frame (the first message of
// the next call a report reads: calls come in the order of their first
// message, so nothing before it is read again), then does releaseOver.
func (rd *Reader) ReleaseBehind(at []byte, limit int64) {
	mp := rd.mapped
	if mp == nil {
		return
	}
	if len(at) > 0 {
		base := uintptr(unsafe.Pointer(unsafe.SliceData(mp.b)))
		off := int(uintptr(unsafe.Pointer(unsafe.SliceData(at))) - base)
		if off >= 0 && off < len(mp.b) {
			off &^= os.Getpagesize() - 1
			if off > mp.behind {
				unmapPages(mp.b[mp.behind:off], mp.pg.protect)
				mp.behind = off
			}
		}
	}
	rd.releaseOver(limit)
}

// ReleaseBehind is Reader.ReleaseBehind for a source that maps its file.
func ReleaseBehind(s Source, at []byte, limit int64) {
	if r, ok := s.(interface{ ReleaseBehind([]byte, int64) }); ok {
		r.ReleaseBehind(at, limit)
	}
}
