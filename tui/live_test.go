package tui

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/demo"
	"github.com/sipdbg/sipdbg/internal/testkit/gen"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/probe"
	"github.com/sipdbg/sipdbg/session"
)

// batchesOf decodes a capture into the batches a stream would send,
// split into pieces of at most n messages.
func batchesOf(t *testing.T, pcap []byte, n int) []pipeline.Batch {
	t.Helper()
	r, err := capture.NewReader(bytes.NewReader(pcap), "x.pcap", int64(len(pcap)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out []pipeline.Batch
	for b := range pipeline.Stream(ctx, r, 1) {
		msgs := b.Messages
		for len(msgs) > n {
			out = append(out, pipeline.Batch{Gen: 1, Messages: msgs[:n], Stats: b.Stats})
			msgs = msgs[n:]
		}
		b.Messages = msgs
		out = append(out, b)
	}
	return out
}

func feed(m Model, bs ...pipeline.Batch) Model {
	tm, _ := m.Update(batchesMsg{gen: 1, batches: bs})
	return tm.(Model)
}

// An open ladder grows as the messages of its call arrive.
func TestOpenFlowGrowsLive(t *testing.T) {
	bs := batchesOf(t, demo.Bytes(), 3)
	m := New("lo", nil, 1, analysis.Options{}).WithLive(0)
	m = drive(t, m, 160, 48)
	m = feed(m, bs[0])
	m = drive(t, m, 160, 48, press("enter"))
	if m.flow == nil {
		t.Fatal("enter did not open the flow")
	}
	before := len(m.flow.Msgs())
	m = feed(m, bs[1:]...)
	call := m.flow.Calls[0]
	if after := len(m.flow.Msgs()); after <= before || after != len(call.Msgs) {
		t.Fatalf("the open ladder has %d messages (had %d); its call has %d", after, before, len(call.Msgs))
	}
	if !strings.Contains(m.View().Content, "401") {
		t.Errorf("the grown ladder does not show the challenge:\n%s", m.View().Content)
	}
}

// With a budget, a live view drops the oldest completed calls, keeps the
// one on screen, and says so in the status line with the rates.
func TestLiveBudget(t *testing.T) {
	var buf bytes.Buffer
	if _, err := gen.Generate(&buf, gen.Config{Seed: 5, Messages: 8000}); err != nil {
		t.Fatal(err)
	}
	full := session.NewStore()
	bs := batchesOf(t, buf.Bytes(), 500)
	for i := range bs {
		bs[i].Apply(full)
	}
	budget := full.Footprint() * 2 / 3 // the store may hold a third of that: a quarter of the capture
	bs = batchesOf(t, buf.Bytes(), 500)

	m := drive(t, New("lo", nil, 1, analysis.Options{}).WithLive(budget), 160, 48)
	t0 := time.Unix(1e9, 0)
	tm, _ := m.Update(tickMsg(t0))
	m = feed(tm.(Model), bs[0])
	m = drive(t, m, 160, 48, press("enter")) // the first call stays open
	open := m.flow.Calls[0]
	m = feed(m, bs[1:]...)
	tm, _ = m.Update(tickMsg(t0.Add(time.Second)))
	m = tm.(Model)

	st := m.store.Stats()
	if st.Evicted.Calls == 0 || m.store.Footprint() > budget/3 {
		t.Fatalf("footprint %d for a budget of %d, evicted %+v", m.store.Footprint(), budget, st.Evicted)
	}
	if st.Messages+st.Evicted.Messages != full.Len() {
		t.Errorf("held %d + dropped %d messages, the capture has %d", st.Messages, st.Evicted.Messages, full.Len())
	}
	if m.store.Call(open.Seq) != open || m.store.Calls()[0] != open {
		t.Fatalf("the open call went: Seq %d", open.Seq)
	}
	// Calls keep the numbers they arrived with: the list does not
	// renumber what is left after each drop.
	last := m.store.Calls()[len(m.store.Calls())-1]
	if open.Seq != 0 || last.Seq != len(full.Calls())-1 || !strings.Contains(m.list.View(m.store, 160, 200, m.st), strconv.Itoa(last.Seq+1)+" ") {
		t.Errorf("numbers after the drops: open call %d, last call %d of %d", open.Seq+1, last.Seq+1, len(full.Calls()))
	}
	for _, mi := range m.flow.Msgs() {
		if m.store.Msg(int(mi)).CallID() != open.CallID {
			t.Fatalf("the open ladder points at message %d of another call", mi)
		}
	}
	line := m.statusLine()
	frames := st.Decoder.Frames // the first tick came before any packet
	seen := plural(full.Len(), "SIP message") + " · " + plural(len(full.Calls()), "call")
	for _, want := range []string{strconv.Itoa(frames) + " pkt/s", "MiB/", " old calls dropped", seen} {
		if !strings.Contains(line, want) {
			t.Errorf("status line lacks %q: %s", want, line)
		}
	}
	m = drive(t, m, 160, 48, press("esc"))
	for range 50 {
		m = drive(t, m, 160, 48, press("down"))
	}
	if sel := m.list.Selected(m.store); sel == nil || m.store.Call(sel.Seq) != sel {
		t.Fatalf("the list cursor is not on a held call after the evictions")
	}
}

// A probe's exchange shown over a live capture does not stop it: the
// capture goes on underneath and is complete when esc brings it back.
func TestCaptureGoesOnUnderProbe(t *testing.T) {
	bs := batchesOf(t, demo.Bytes(), 10)
	m := drive(t, New("lo", nil, 1, analysis.Options{}).WithLive(0), 120, 30)
	m = feed(m, bs[0])
	m.probeShown = true // as enter on the form sets it
	tm, _ := m.Update(probeDoneMsg{res: probe.Result{Outcome: probe.OutcomeOK, Reason: "SIP/2.0 200 OK", Records: demoRecords(t)[:3]}})
	m = feed(tm.(Model), bs[1:]...)
	if m.store.Len() != 3 || m.under == nil || m.under.store.Len() != 43 {
		t.Fatalf("over the probe: %d messages on screen; underneath %v", m.store.Len(), m.under)
	}
	m = drive(t, m, 120, 30, press("esc"), press("esc"))
	if m.store.Len() != 43 || m.list.Len() != 4 || m.name != "lo" {
		t.Fatalf("back on the capture: %q, %d messages, %d rows", m.name, m.store.Len(), m.list.Len())
	}
}

// esc while a probe runs goes back to the capture, and the exchange does
// not come back over it as the probe goes on; its outcome is a note.
func TestEscWhileProbing(t *testing.T) {
	recs := demoRecords(t)
	m := drive(t, demoModel(t, analysis.Options{}), 120, 30)
	m.probeRun, m.running, m.probeShown = 1, true, true
	snaps := make(chan []probe.Record, 1)
	m.snaps = snaps
	tm, _ := m.Update(probeProgressMsg{run: 1, recs: recs[:2]})
	m = drive(t, tm.(Model), 120, 30, press("esc"), press("esc"))
	if m.under != nil || m.name != "demo.pcap" {
		t.Fatalf("esc did not go back to the capture: %q", m.name)
	}
	tm, _ = m.Update(probeProgressMsg{run: 1, recs: recs[:3]})
	tm, _ = tm.Update(probeDoneMsg{run: 1, res: probe.Result{Outcome: probe.OutcomeOK, Reason: "SIP/2.0 200 OK", Records: recs}})
	m = tm.(Model)
	if m.under != nil || m.name != "demo.pcap" || !strings.Contains(m.note, "probe: ok") {
		t.Fatalf("the probe came back over the capture: %q, note %q", m.name, m.note)
	}
}
