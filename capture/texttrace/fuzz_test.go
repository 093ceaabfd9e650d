package texttrace_test

import (
	"bytes"
	"testing"

	"github.com/sipdbg/sipdbg/capture/texttrace"
	"github.com/sipdbg/sipdbg/siplex"
)

// FuzzParse feeds arbitrary text to Parse and Detect: they must not
// panic, and every record must be a well-framed SIP message. Seeds are
// in testdata/fuzz/FuzzParse (parts of the fixtures and hostile input).
func FuzzParse(f *testing.F) {
	f.Add([]byte(register + "\n" + lf(invite)))
	f.Fuzz(func(t *testing.T, b []byte) {
		texttrace.Detect(b)
		recs, probs, err := texttrace.Parse(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		last := 0
		for i, r := range recs {
			checkInvariants(t, i, r, last)
			last = r.Line
		}
		if len(probs) > 1001 {
			t.Fatalf("%d problems", len(probs))
		}
		for _, p := range probs {
			if p.Line < 0 || p.Reason == "" {
				t.Fatalf("problem %+v", p)
			}
		}
	})
}

func checkInvariants(t *testing.T, i int, r texttrace.Record, last int) {
	t.Helper()
	switch {
	case r.Line < 1 || r.Line < last:
		t.Fatalf("#%d: line %d after %d", i, r.Line, last)
	case !siplex.IsStart(r.Data):
		t.Fatalf("#%d: %q does not start with a SIP start line", i, r.Data)
	case !bytes.Contains(r.Data, []byte("\r\n\r\n")):
		t.Fatalf("#%d: %q has no end of headers", i, r.Data)
	case len(r.Data) > 1<<20:
		t.Fatalf("#%d: %d bytes", i, len(r.Data))
	case r.Transport == 0 || r.Format == "":
		t.Fatalf("#%d: transport %v format %q", i, r.Transport, r.Format)
	case r.Inferred != (r.SrcInferred || r.DstInferred):
		t.Fatalf("#%d: inferred flags %v %v %v", i, r.Inferred, r.SrcInferred, r.DstInferred)
	case r.SrcInferred && !r.Src.IsValid(), r.DstInferred && !r.Dst.IsValid():
		t.Fatalf("#%d: inferred an invalid address", i)
	}
}
