package capture

import "runtime/debug"

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
// fault; any other panic is not ours to swallow and goes on.
func CatchFault(r any) error {
	if _, ok := r.(interface{ Addr() uintptr }); ok {
		return ErrShrank
	}
	panic(r)
}
