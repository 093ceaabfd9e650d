package tui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/demo"
	"github.com/sipdbg/sipdbg/internal/testkit/gen"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
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
	if m.cv.flow == nil {
		t.Fatal("enter did not open the flow")
	}
	before := len(m.cv.flow.Msgs())
	m = feed(m, bs[1:]...)
	call := m.cv.flow.Calls[0]
	if after := len(m.cv.flow.Msgs()); after <= before || after != len(call.Msgs) {
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
	open := m.cv.flow.Calls[0]
	m = feed(m, bs[1:]...)
	tm, _ = m.Update(tickMsg(t0.Add(time.Second)))
	m = tm.(Model)

	st := m.cv.store.Stats()
	if st.Evicted.Calls == 0 || m.cv.store.Footprint() > budget/3 {
		t.Fatalf("footprint %d for a budget of %d, evicted %+v", m.cv.store.Footprint(), budget, st.Evicted)
	}
	if st.Messages+st.Evicted.Messages != full.Len() {
		t.Errorf("held %d + dropped %d messages, the capture has %d", st.Messages, st.Evicted.Messages, full.Len())
	}
	if m.cv.store.Call(open.Seq) != open || m.cv.store.Calls()[0] != open {
		t.Fatalf("the open call went: Seq %d", open.Seq)
	}
	// Calls keep the numbers they arrived with: the list does not
	// renumber what is left after each drop.
	last := m.cv.store.Calls()[len(m.cv.store.Calls())-1]
	if open.Seq != 0 || last.Seq != len(full.Calls())-1 || !strings.Contains(m.cv.list.View(m.cv.store, 160, 200, m.st), strconv.Itoa(last.Seq+1)+" ") {
		t.Errorf("numbers after the drops: open call %d, last call %d of %d", open.Seq+1, last.Seq+1, len(full.Calls()))
	}
	for _, mi := range m.cv.flow.Msgs() {
		if m.cv.store.Msg(int(mi)).CallID() != open.CallID {
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
	if sel := m.cv.list.Selected(m.cv.store); sel == nil || m.cv.store.Call(sel.Seq) != sel {
		t.Fatalf("the list cursor is not on a held call after the evictions")
	}
}

// A probe's exchange shown over a live capture does not stop it: the
// capture goes on underneath and is complete when esc brings it back.
func TestCaptureGoesOnUnderProbe(t *testing.T) {
	bs := batchesOf(t, demo.Bytes(), 10)
	m := drive(t, New("lo", nil, 1, analysis.Options{}).WithLive(0), 120, 30)
	m = feed(m, bs[0])
	id := m.beginProbe(nil) // as enter on the form does
	tm, _ := m.Update(probeDoneMsg{run: id, res: probe.Result{Outcome: probe.OutcomeOK, Reason: "SIP/2.0 200 OK", Records: demoRecords(t)[:3]}})
	m = feed(tm.(Model), bs[1:]...)
	if m.cv.store.Len() != 3 || len(m.stack) == 1 || m.base().store.Len() != 43 {
		t.Fatalf("over the probe: %d messages on screen; underneath %d", m.cv.store.Len(), m.base().store.Len())
	}
	m = drive(t, m, 120, 30, press("esc"), press("esc"))
	if m.cv.store.Len() != 43 || m.cv.list.Len() != 4 || m.cv.name != "lo" {
		t.Fatalf("back on the capture: %q, %d messages, %d rows", m.cv.name, m.cv.store.Len(), m.cv.list.Len())
	}
}

// esc while a probe runs goes back to the capture, and the exchange does
// not come back over it as the probe goes on; its outcome is a note.
func TestEscWhileProbing(t *testing.T) {
	recs := demoRecords(t)
	m := drive(t, demoModel(t, analysis.Options{}), 120, 30)
	snaps := make(chan []probe.Record, 1)
	id := m.beginProbe(snaps) // as enter on the form does
	tm, _ := m.Update(probeProgressMsg{run: id, recs: recs[:2]})
	m = drive(t, tm.(Model), 120, 30, press("esc"), press("esc"))
	if len(m.stack) > 1 || m.cv.name != "demo.pcap" {
		t.Fatalf("esc did not go back to the capture: %q", m.cv.name)
	}
	tm, _ = m.Update(probeProgressMsg{run: id, recs: recs[:3]})
	tm, _ = tm.Update(probeDoneMsg{run: id, res: probe.Result{Outcome: probe.OutcomeOK, Reason: "SIP/2.0 200 OK", Records: recs}})
	m = tm.(Model)
	if len(m.stack) > 1 || m.cv.name != "demo.pcap" || !strings.Contains(m.note, "probe: ok") {
		t.Fatalf("the probe came back over the capture: %q, note %q", m.cv.name, m.note)
	}
}

// A capture without a call says what it shows outside any: a client that
// could not find its SIP server in DNS (the failure lab's capture), in
// place of an empty list.
func TestNoCallShowsCaptureFindings(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(testenv.Root(t), "testdata", "captures", "failures", "dns-failure.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	tm, _ := New("dns-failure.pcap", nil, 1, analysis.Options{}).Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m := feed(tm.(Model), batchesOf(t, b, 100)...) // not drive: Init would wait on a source that is not there
	view := stripSGR(m.View().Content)
	for _, want := range []string{"No SIP call. Outside any call:", "could not resolve pbx.lab.test", "RFC 3263 §4"} {
		if !strings.Contains(view, want) {
			t.Errorf("the screen lacks %q:\n%s", want, view)
		}
	}
	for _, l := range strings.Split(view, "\n") {
		if len([]rune(l)) > 80 {
			t.Errorf("a line wider than 80: %q", l)
		}
	}
}
