package capture

import (
	"runtime/debug"
	"slices"
	"sync"
	"unsafe"
)

// A capture file is mapped, not read (pcapmem.go). If another process
// truncates it meanwhile, the next access to a page past its new end
// raises SIGBUS, which kills a Go program outright. The goroutines that
// read mapped bytes (decoding, and a report's workers) turn such a fault
// into ErrShrank instead: GuardFaults, then CatchFault in a deferred
// recover.

// ErrShrank is what reading a mapped capture that was cut short meanwhile
// returns. It is a kind of ErrTruncated: what was read before is kept.
var ErrShrank error = shrank{}

type shrank struct{}

func (shrank) Error() string {
	return "the capture file shrank while it was being read (another process truncated it)"
}

func (shrank) Unwrap() error { return ErrTruncated }

// GuardFaults makes a memory fault in the calling goroutine a panic that
// a deferred CatchFault can recover. Call the function it returns, by
// defer, to put things back.
func GuardFaults() (restore func()) {
	old := debug.SetPanicOnFault(true)
	return func() { debug.SetPanicOnFault(old) }
}

// CatchFault returns ErrShrank when r, a recovered value, is a memory
// fault in a mapped capture; any other panic (a fault elsewhere is a bug)
// is not ours to swallow and goes on.
func CatchFault(r any) error {
	if f, ok := r.(interface{ Addr() uintptr }); ok && inMapping(f.Addr()) {
		return ErrShrank
	}
	panic(r)
}

// RecoverFault, deferred (after GuardFaults), turns a fault in a mapped
// capture into ErrShrank in *err; any other panic goes on.
func RecoverFault(err *error) {
	if v := recover(); v != nil {
		*err = CatchFault(v)
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
