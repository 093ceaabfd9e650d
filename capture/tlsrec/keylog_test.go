package tlsrec

import (
	"strings"
	"testing"
)

func TestParseKeylog(t *testing.T) {
	cr := strings.Repeat("ab", 32)
	in := "# SSL/TLS secrets log file\n\n" +
		"CLIENT_RANDOM " + cr + " " + strings.Repeat("01", 48) + "\n" +
		"CLIENT_HANDSHAKE_TRAFFIC_SECRET " + cr + " " + strings.Repeat("02", 32) + "\n" +
		"EXPORTER_SECRET " + cr + " " + strings.Repeat("03", 32) + "\n" +
		"CLIENT_RANDOM zz " + strings.Repeat("01", 48) + "\n" +
		"CLIENT_RANDOM " + cr + "\n" +
		"CLIENT_RANDOM " + strings.Repeat("cd", 32) + " " + strings.Repeat("01", 47) + "\n" +
		"SERVER_TRAFFIC_SECRET_0 " + cr + " " + strings.Repeat("04", 48) + "\r\n"
	k, errs := ParseKeylog(strings.NewReader(in))
	want := []string{"key log line 6: client random is not 32 bytes of hex",
		"key log line 7: want LABEL CLIENT_RANDOM SECRET, got 2 fields",
		"key log line 8: master secret is 47 bytes, not 48"}
	if len(errs) != len(want) {
		t.Fatalf("errors %v", errs)
	}
	for i, e := range errs {
		if e.Error() != want[i] {
			t.Errorf("error %d: %q, want %q", i, e, want[i])
		}
	}
	s := k.Lookup([32]byte([]byte(strings.Repeat("\xab", 32))))
	if k.Len() != 1 || s == nil || len(s.Master) != 48 || len(s.ClientHS) != 32 || len(s.Server0) != 48 || s.ServerHS != nil {
		t.Fatalf("secrets %+v", s)
	}
	other, _ := ParseKeylog(strings.NewReader("SERVER_HANDSHAKE_TRAFFIC_SECRET " + cr + " " + strings.Repeat("05", 32) + "\n" +
		"CLIENT_RANDOM " + strings.Repeat("cd", 32) + " " + strings.Repeat("01", 48)))
	k.Merge(other)
	if k.Len() != 2 || len(s.ServerHS) != 32 || len(s.Master) != 48 {
		t.Errorf("merged: %d randoms, %+v", k.Len(), s)
	}
	var none *Keylog
	if none.Len() != 0 || none.Lookup([32]byte{}) != nil {
		t.Error("a nil key log holds keys")
	}
}
