package capture

import (
	"errors"
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
	if err := CatchFault(in); !errors.Is(err, ErrShrank) || !errors.Is(err, ErrTruncated) {
		t.Errorf("fault in a mapping: %v", err)
	}
	for _, v := range []any{fault(unsafePointer(b) + 4096), "a bug", errors.New("another")} {
		func() {
			defer func() {
				if r := recover(); r != v {
					t.Errorf("CatchFault(%v) let through %v", v, r)
				}
			}()
			CatchFault(v)
			t.Errorf("CatchFault(%v) swallowed it", v)
		}()
	}
}

func unsafePointer(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }
