package memstat

import "testing"

// What is in use grows with what is allocated and kept.
func TestInUseGrows(t *testing.T) {
	before := InUse()
	keep := make([][]byte, 64)
	for i := range keep {
		keep[i] = make([]byte, 1<<20)
		keep[i][0] = 1
	}
	after := InUse()
	if before == 0 || after < before+32<<20 {
		t.Fatalf("in use %d before 64 MiB were kept, %d after", before, after)
	}
	_ = keep[63][0]
}
