package capture

import (
	"errors"
	"runtime/debug"
	"testing"
	"unsafe"
)

// fault stands for the runtime's error for a memory fault at addr.
type fault uintptr

func (f fault) Error() string  { return "unexpected fault address" }
func (f fault) Addr() uintptr  { return uintptr(f) }
func (f fault) RuntimeError()  {}
func (f fault) String() string { return f.Error() }

// A fault in a mapped capture is ErrShrank; a fault anywhere else, or any
// other panic, is a bug and goes on.
func TestCatchFaultOnlyInMappings(t *testing.T) {
	b := make([]byte, 4096)
	addMapping(b)
	defer removeMapping(b)
	in := fault(unsafePointer(b) + 100)
	if err := catchFault(in); !errors.Is(err, ErrShrank) || !errors.Is(err, ErrTruncated) {
		t.Errorf("fault in a mapping: %v", err)
	}
	for _, v := range []any{fault(unsafePointer(b) + 4096), "a bug", errors.New("another")} {
		func() {
			defer func() {
				if r := recover(); r != v {
					t.Errorf("catchFault(%v) let through %v", v, r)
				}
			}()
			catchFault(v)
			t.Errorf("catchFault(%v) swallowed it", v)
		}()
	}
}

func unsafePointer(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }

// Guard returns fn's error, turns a fault in a mapping into ErrShrank,
// lets any other panic through, and leaves the goroutine as it found it.
func TestGuard(t *testing.T) {
	b := make([]byte, 4096)
	addMapping(b)
	defer removeMapping(b)
	own := errors.New("fn's own")
	if err := Guard(func() error { return own }); err != own {
		t.Errorf("fn's error: got %v", err)
	}
	if err := Guard(func() error { panic(fault(unsafePointer(b) + 8)) }); !errors.Is(err, ErrShrank) {
		t.Errorf("fault in a mapping: got %v", err)
	}
	func() {
		defer func() {
			if r := recover(); r != "a bug" {
				t.Errorf("a bug's panic: got %v", r)
			}
		}()
		_ = Guard(func() error { panic("a bug") })
		t.Error("Guard swallowed a bug's panic")
	}()
	if debug.SetPanicOnFault(false) {
		t.Error("Guard left faults as panics in the goroutine")
	}
}
