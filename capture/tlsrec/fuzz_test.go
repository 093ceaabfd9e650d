package tlsrec

import (
	"bytes"
	"crypto/tls"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func FuzzKeylog(f *testing.F) {
	f.Add("CLIENT_RANDOM " + strings.Repeat("ab", 32) + " " + strings.Repeat("01", 48) + "\n# c\n")
	f.Add("SERVER_TRAFFIC_SECRET_0 " + strings.Repeat("ab", 32) + " " + strings.Repeat("01", 32))
	f.Add("CLIENT_RANDOM x y z w\n\n")
	f.Fuzz(func(t *testing.T, in string) {
		k, errs := ParseKeylog(strings.NewReader(in))
		for _, e := range errs {
			if strings.Contains(e.Error(), "\n") {
				t.Fatalf("error of more than one line: %q", e)
			}
		}
		k.Merge(k)
	})
}

// recorded are the sessions FuzzRecords starts from, recorded once by
// TestWriteRecorded (crypto/tls under the fuzzer's instrumentation
// takes too long to run in each worker).
var recorded = []string{"tls13", "tls12-cbc"}

// TestWriteRecorded records them again when SIPDBG_TLSREC_RECORD is set.
func TestWriteRecorded(t *testing.T) {
	if os.Getenv("SIPDBG_TLSREC_RECORD") == "" {
		t.Skip("set SIPDBG_TLSREC_RECORD=1 to record testdata/records again")
	}
	req, resp := sipExchange()
	for i, s := range []session{exchange(t, tls.VersionTLS13, 0, req, resp),
		exchange(t, tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, req, resp)} {
		var c, v bytes.Buffer
		for _, e := range s.ev {
			[]*bytes.Buffer{&c, &v}[e.side].Write(e.b)
		}
		base := filepath.Join("testdata", "records", recorded[i])
		for ext, b := range map[string][]byte{".client": c.Bytes(), ".server": v.Bytes(), ".keylog": s.keylog} {
			if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(base+ext, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// FuzzRecords feeds random bytes to both sides of a connection whose key
// log is that of a real exchange, seeded with its records: nothing
// panics, whatever arrives.
func FuzzRecords(f *testing.F) {
	keys := NewKeylog()
	for _, name := range recorded {
		base := filepath.Join("testdata", "records", name)
		var b [3][]byte
		for i, ext := range []string{".client", ".server", ".keylog"} {
			var err error
			if b[i], err = os.ReadFile(base + ext); err != nil {
				f.Fatal(err)
			}
		}
		keys.Merge(mustKeylog(f, b[2]))
		f.Add(b[0], b[1], uint8(7))
		f.Add(b[0], b[1], uint8(200))
	}
	f.Add([]byte{22, 3, 1, 0, 4, 1, 0, 0, 0}, []byte{22, 3, 3, 0, 4, 2, 0, 0, 0}, uint8(1))
	f.Fuzz(func(t *testing.T, cli, srv []byte, chunk uint8) {
		n := int(chunk)%64 + 1
		var got int
		c := NewConn(keys, func(_ int, p []byte) { got += len(p) })
		for len(cli) > 0 || len(srv) > 0 {
			a, b := min(n, len(cli)), min(n, len(srv))
			c.Feed(0, cli[:a])
			c.Feed(1, srv[:b])
			cli, srv = cli[a:], srv[b:]
		}
		if strings.Contains(c.Status(), "\n") {
			t.Fatalf("status %q", c.Status())
		}
	})
}

// TestRecordedDecrypts: the recorded sessions still decrypt whole (a
// client fed entirely before its server is the order a pcap of two
// flows read one after the other would give).
func TestRecordedDecrypts(t *testing.T) {
	for _, name := range recorded {
		base := filepath.Join("testdata", "records", name)
		cli, _ := os.ReadFile(base + ".client")
		srv, _ := os.ReadFile(base + ".server")
		kl, _ := os.ReadFile(base + ".keylog")
		var got [2]int
		c := NewConn(mustKeylog(t, kl), func(side int, p []byte) { got[side] += len(p) })
		// interleave in 64-byte steps, as FuzzRecords does
		for len(cli) > 0 || len(srv) > 0 {
			a, b := min(64, len(cli)), min(64, len(srv))
			c.Feed(0, cli[:a])
			c.Feed(1, srv[:b])
			cli, srv = cli[a:], srv[b:]
		}
		if c.State() != Decrypting || got[0] == 0 || got[1] == 0 {
			t.Errorf("%s: %s, %v bytes", name, c.Status(), got)
		}
	}
}
