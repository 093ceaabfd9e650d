package main

import "testing"

func TestByteSize(t *testing.T) {
	for in, want := range map[string]int64{"512MiB": 512 << 20, "2G": 2 << 30, "300m": 300 << 20, "65536": 65536, "0": 0, "16 KiB": 16 << 10} {
		var b byteSize
		if err := b.Set(in); err != nil || int64(b) != want {
			t.Errorf("%q → %d, %v; want %d", in, b, err, want)
		}
	}
	for _, bad := range []string{"", "lots", "12XB", "-5M", "1.5G"} {
		var b byteSize
		if err := b.Set(bad); err == nil {
			t.Errorf("%q accepted as %d", bad, b)
		}
	}
	b := byteSize(defaultBudget)
	if b.String() != "512MiB" {
		t.Errorf("the default prints as %s", b.String())
	}
}
