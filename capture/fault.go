package capture

import (
	"runtime/debug"
	"slices"
	"sync"
	"unsafe"
)

// A capture file is mapped, not read (pcapmem.go). If another process
// truncates it meanwhile, the next access to a page past its new end
// raises SIGBUS, which kills a Go program outright. A goroutine that
// reads mapped bytes (decoding, a report's workers, the interface) runs
// that work through Guard, which turns such a fault into ErrShrank. The
// mapping stays this package's business: the others call Guard (the
// store hands it on, see session.Store.Guard) and never arm anything.

// ErrShrank is what reading a mapped capture that was cut short meanwhile
// returns. It is a kind of ErrTruncated: what was read before is kept.
var ErrShrank error = shrank{}

type shrank struct{}

func (shrank) Error() string {
	return "the capture file shrank while it was being read (another process truncated it)"
}

func (shrank) Unwrap() error { return ErrTruncated }

// Guard runs fn in the calling goroutine with memory faults made panics:
// a fault in a mapped capture ends fn, and Guard returns ErrShrank. Any
// other panic goes on (a fault elsewhere is a bug). A caller that
// recovers panics itself inside fn (Bubble Tea does) gets the fault as
// its own panic instead of SIGBUS.
func Guard(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer recoverFault(&err)
	return fn()
}

// catchFault returns ErrShrank when r, a recovered value, is a memory
// fault in a mapped capture; any other panic (a fault elsewhere is a bug)
// is not ours to swallow and goes on.
func catchFault(r any) error {
	if f, ok := r.(interface{ Addr() uintptr }); ok && inMapping(f.Addr()) {
		return ErrShrank
	}
	panic(r)
}

// recoverFault, deferred, turns a fault in a mapped capture into
// ErrShrank in *err; any other panic goes on.
func recoverFault(err *error) {
	if v := recover(); v != nil {
		*err = catchFault(v)
	}
}

// The address ranges of the mapped captures (mapFile, unmapFile).
var (
	mappingsMu sync.Mutex
	mappings   [][2]uintptr
)

func addMapping(b []byte) {
	if len(b) == 0 {
		return
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	mappingsMu.Lock()
	mappings = append(mappings, [2]uintptr{base, base + uintptr(len(b))})
	mappingsMu.Unlock()
}

func removeMapping(b []byte) {
	if len(b) == 0 {
		return
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	mappingsMu.Lock()
	mappings = slices.DeleteFunc(mappings, func(m [2]uintptr) bool { return m[0] == base })
	mappingsMu.Unlock()
}

func inMapping(addr uintptr) bool {
	mappingsMu.Lock()
	defer mappingsMu.Unlock()
	for _, m := range mappings {
		if addr >= m[0] && addr < m[1] {
			return true
		}
	}
	return false
}
