package pipeline_test

import (
	"bytes"
	"testing"

	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/testkit/gen"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// TestFilterDropsWhileLoading: what a start-up filter leaves out is
// never stored, so the store holds fewer messages and less memory. The
// capture is read from a stream, whose bytes are copied (not mapped).
func TestFilterDropsWhileLoading(t *testing.T) {
	var pcap bytes.Buffer
	rep, err := gen.Generate(&pcap, gen.Config{Seed: 7, Messages: 3000})
	if err != nil {
		t.Fatal(err)
	}
	load := func(f session.Filter) *session.Store {
		r, err := capture.NewReader(bytes.NewReader(pcap.Bytes()), "gen.pcap", int64(pcap.Len()))
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		s := session.NewStore()
		if err := pipeline.LoadConcurrentWith(r, s, pipeline.Options{Filter: f}); err != nil {
			t.Fatal(err)
		}
		return s
	}
	all, cut := load(session.Filter{}), load(session.Filter{NoOptions: true})
	options := 0
	for _, c := range all.Calls() {
		if c.Method == "OPTIONS" {
			options++
		}
	}
	if all.Stats().Messages != rep.SIPMessages || options == 0 {
		t.Fatalf("unfiltered: %d messages (%d written), %d OPTIONS calls", all.Stats().Messages, rep.SIPMessages, options)
	}
	if got, want := len(cut.Calls()), len(all.Calls())-options; got != want {
		t.Errorf("NoOptions keeps %d calls, want %d", got, want)
	}
	if cut.Stats().Messages >= all.Stats().Messages || cut.Footprint() >= all.Footprint() {
		t.Errorf("NoOptions: %d messages, %d bytes; unfiltered %d, %d", cut.Stats().Messages, cut.Footprint(), all.Stats().Messages, all.Footprint())
	}
}
