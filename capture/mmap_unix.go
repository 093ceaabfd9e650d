//go:build unix

package capture

import (
	"os"

	"golang.org/x/sys/unix"
)

// mapFile maps a whole file read-only. The mapping is never unmapped:
// messages point into it for as long as the process keeps them.
func mapFile(f *os.File, size int64) ([]byte, error) {
	b, err := unix.Mmap(int(f.Fd()), 0, int(size), unix.PROT_READ, unix.MAP_SHARED)
	if err == nil {
		addMapping(b) // a fault in it is a file cut short (fault.go)
	}
	return b, err
}

// unmapFile undoes mapFile for a file found unreadable before anything
// pointed into it (it is streamed instead, to say why).
func unmapFile(b []byte) {
	removeMapping(b)
	unix.Munmap(b)
}

// unmapPages lets the kernel take back the pages of b from this process:
// they stay in the page cache and come back on the next touch. Resident
// memory is then what is being read, not the whole file.
// protect makes them unreadable too (tests; see paging).
func unmapPages(b []byte, protect bool) {
	if len(b) > 0 {
		unix.Madvise(b, unix.MADV_DONTNEED)
		if protect {
			unix.Mprotect(b, unix.PROT_NONE)
		}
	}
}

// randomAccess says the mapping is now read here and there (a call's
// messages, spread over the file), not in order: no read-ahead.
func randomAccess(b []byte) { unix.Madvise(b, unix.MADV_RANDOM) }
