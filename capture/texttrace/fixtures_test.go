package texttrace_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/sipdbg/sipdbg/capture/texttrace"
)

// tracesDir holds the fixtures and expected.json, written by
// testdata/lab/traces/regen-traces.sh (see its README).
const tracesDir = "../../testdata/traces"

type expectedFile struct {
	Columns  []string
	Fixtures []fixture
}

type fixture struct {
	File, Origin, Capture string
	Messages, Problems    int
	CallIDs               []string `json:"call_ids"`
	Rows                  []row
}

// row is one message of a fixture, in expected.json's column order.
type row struct {
	Frame                      int
	Format, FirstLine          string
	Call                       int
	Src, SrcIs, Dst, DstIs, At string
}

var columns = []string{"frame", "format", "first_line", "call", "src", "src_is", "dst", "dst_is", "time"}

func (r *row) UnmarshalJSON(b []byte) error {
	var f float64
	fields := []any{&f, &r.Format, &r.FirstLine, &r.Call, &r.Src, &r.SrcIs, &r.Dst, &r.DstIs, &r.At}
	if err := json.Unmarshal(b, &fields); err != nil {
		return err
	}
	r.Frame = int(f)
	return nil
}

func loadExpected(t *testing.T, dir string) []fixture {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var e expectedFile
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(e.Columns, columns) {
		t.Fatalf("expected.json columns %v, want %v", e.Columns, columns)
	}
	return e.Fixtures
}

func parseFixture(t *testing.T, dir, name string) []texttrace.Record {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, probs, err := texttrace.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range probs {
		t.Log(p)
	}
	return recs
}

func TestFixtures(t *testing.T) { checkFixtures(t, tracesDir) }

// checkFixtures parses every fixture of dir and compares the records
// with dir/expected.json.
func checkFixtures(t *testing.T, dir string) {
	fixtures := loadExpected(t, dir)
	if len(fixtures) < 8 {
		t.Fatalf("%d fixtures in expected.json", len(fixtures))
	}
	for _, fx := range fixtures {
		t.Run(fx.File, func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, fx.File))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			recs, probs, err := texttrace.Parse(f)
			if err != nil || len(probs) != fx.Problems {
				t.Fatalf("err %v, problems %v, want %d problems", err, probs, fx.Problems)
			}
			if len(recs) != fx.Messages || len(fx.Rows) != fx.Messages {
				t.Fatalf("%d records, want %d", len(recs), fx.Messages)
			}
			for i, r := range recs {
				checkRow(t, i, r, fx.Rows[i], fx.CallIDs)
			}
			checkDetect(t, dir, fx)
		})
	}
}

func checkRow(t *testing.T, i int, r texttrace.Record, w row, callIDs []string) {
	t.Helper()
	if got := firstLine(r.Data); got != w.FirstLine || r.Format != w.Format {
		t.Errorf("#%d: %q (%s), want %q (%s)", i, got, r.Format, w.FirstLine, w.Format)
	}
	if got := callID(r.Data); got != callIDs[w.Call] {
		t.Errorf("#%d: Call-ID %q, want %q", i, got, callIDs[w.Call])
	}
	checkAddr(t, i, "src", r.Src.String(), r.SrcInferred, r.Src.IsValid(), addrWant(w.Src, w.SrcIs))
	checkAddr(t, i, "dst", r.Dst.String(), r.DstInferred, r.Dst.IsValid(), addrWant(w.Dst, w.DstIs))
	checkTime(t, i, r.Time, w.At)
}

// addrWant turns expected.json's address and its kind into checkAddr's
// notation.
func addrWant(addr, kind string) string {
	switch kind {
	case "inferred":
		return "~" + addr
	case "given":
		return addr
	}
	return ""
}

func checkDetect(t *testing.T, dir string, fx fixture) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, fx.File))
	if err != nil {
		t.Fatal(err)
	}
	if len(fx.Rows) == 0 {
		t.Fatalf("%s: the fixture holds no message: it was not regenerated right", fx.File)
	}
	format, ok := texttrace.Detect(b[:min(len(b), 64<<10)])
	if !ok || format != fx.Rows[0].Format {
		t.Errorf("Detect = %q, %v; want %q", format, ok, fx.Rows[0].Format)
	}
}

func TestDetectRejects(t *testing.T) {
	for _, name := range []string{"kamailio-sipdump.pcap", "../captures/hep3-compressed.pcap", "../captures/sll2-register-auth.pcap"} {
		b, err := os.ReadFile(filepath.Join(tracesDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if format, ok := texttrace.Detect(b); ok {
			t.Errorf("%s: Detect = %q, true", name, format)
		}
	}
	prose := []byte("The PBX answered\nSIP/2.0 401 Unauthorized\nto our INVITE sip:bob@example.com SIP/2.0 and then\n<--- nothing --->\n")
	for i, b := range [][]byte{nil, []byte("hello\n"), {0x1f, 0x8b, 8, 0}, []byte(fmt.Sprint(make([]int, 100))), prose} {
		if format, ok := texttrace.Detect(b); ok {
			t.Errorf("#%d: Detect = %q, true", i, format)
		}
	}
}
