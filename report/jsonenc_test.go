package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/testkit/gen"
)

// callPlain is Call without its MarshalJSON: what reflection writes.
type callPlain Call

// The hand-written encoding of a call is encoding/json's, byte for byte,
// on every call of a generated capture (every state, finding and flag
// the generator makes).
func TestCallJSONIsEncodingJSON(t *testing.T) {
	s, _, err := gen.Store(gen.Config{Seed: 8, Messages: 3000})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range s.Calls() {
		jc := CallJSON(s, c, analysis.Options{})
		jc.Related = []string{"x<y>&z"} // the omitempty fields too, and escapes
		if len(jc.Messages) > 1 {
			id := uint32(2001)
			m := &jc.Messages[1]
			m.Error, m.SrcInferred, m.DstInferred, m.HEPAgent = "cut \"short\"\n", true, true, &id
		}
		want, err := json.Marshal(callPlain(jc))
		if err != nil {
			t.Fatal(err)
		}
		got, err := jc.appendJSON(nil)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("call %s:\n got %s\nwant %s", c.CallID, got, want)
		}
	}
}

// FuzzAppendString: any string is quoted as encoding/json quotes it.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", `q"b\s`, "<a&b>", "\x00\x01\b\f\n\r\t\x1f", "\u2028\u2029", "\xff\xfe ok \xc3", "é€😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("%q:\n got %s\nwant %s", s, got, want)
		}
	})
}

// The report's writer (straight from the store) writes what CallJSON and
// encoding/json write, on every call of a generated capture, with a
// candidate password so that findings carry their digest steps, and for
// times before 1970 and in the middle of a second.
func TestCallWriterIsCallJSON(t *testing.T) {
	s, _, err := gen.Store(gen.Config{Seed: 9, Messages: 3000})
	if err != nil {
		t.Fatal(err)
	}
	opt := analysis.Options{Credentials: []analysis.Credential{{User: "1000", Secret: analysis.Password("pw-1000")},
		{Secret: analysis.Password("wrong")}}}
	var w callWriter
	steps := 0
	for i, c := range s.Calls() {
		if i%7 == 0 && len(c.Msgs) > 0 {
			s.Msg(int(c.Msgs[0])).TimeNs = -1_500_000_001 + int64(i) // 1969, and a second's change in the call
		}
		jc := CallJSON(s, c, opt)
		for _, f := range jc.Findings {
			steps += len(f.Steps)
		}
		want, err := json.Marshal(callPlain(jc))
		if err != nil {
			t.Fatal(err)
		}
		if got := w.appendCall(nil, s, c, opt); !bytes.Equal(got, want) {
			t.Fatalf("call %s:\n got %s\nwant %s", c.CallID, got, want)
		}
	}
	if steps == 0 {
		t.Fatal("no finding had digest steps: the test does not cover them")
	}
}
