package session_test

import (
	"bytes"
	"testing"
	"unsafe"

	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/testkit/gen"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// genStore loads a generated capture (registrations and calls with
// challenges, retransmissions, TCP and UDP) of about n messages.
func genStore(t *testing.T, n int) *session.Store {
	t.Helper()
	s, _, err := gen.Store(gen.Config{Seed: 7, Messages: n})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// within reports whether s's bytes lie inside b: a moved string must
// point into its message's new copy, not into memory that was freed.
func within(s string, b []byte) bool {
	if s == "" || len(b) == 0 {
		return true
	}
	p, lo := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return p >= lo && p+uintptr(len(s)) <= lo+uintptr(len(b))
}

func TestEvictKeepsWhatRemainsIntact(t *testing.T) {
	ref, s := genStore(t, 6000), genStore(t, 6000)
	before := s.Footprint()
	total := s.Len()
	live := map[string]bool{}
	for _, c := range s.Calls() {
		if !c.Done() {
			live[c.CallID] = true
		}
	}
	pinned := s.Calls()[0].CallID // the oldest call: first to go if not pinned
	dropped := s.Evict(before/2, func(c *session.Call) bool { return c.CallID == pinned })
	if dropped == 0 {
		t.Fatal("nothing evicted from a store twice the target")
	}
	st := s.Stats()
	if s.Footprint() > before/2 || st.Evicted.Calls == 0 {
		t.Fatalf("footprint %d → %d (target %d), evicted %+v", before, s.Footprint(), before/2, st.Evicted)
	}
	if st.Messages+st.Evicted.Messages != total || st.Calls+st.Evicted.Calls != len(ref.Calls()) {
		t.Fatalf("kept %d + evicted %d messages of %d; calls %d + %d of %d", st.Messages, st.Evicted.Messages, total,
			st.Calls, st.Evicted.Calls, len(ref.Calls()))
	}
	if dropped != st.Evicted.Calls {
		t.Errorf("Evict says it dropped %d calls, the stats %d", dropped, st.Evicted.Calls)
	}
	// Handles do not move: a kept call and its messages answer to the
	// Seqs they had, and a dropped one's Seq finds nothing.
	kept := map[int]bool{}
	retrans := 0
	for _, c := range s.Calls() {
		kept[c.Seq] = true
		o := ref.Call(refSeq(ref, c.CallID))
		if s.Call(c.Seq) != c || o == nil || c.Seq != o.Seq {
			t.Fatalf("call %s: Seq %d does not find it", c.CallID, c.Seq)
		}
		delete(live, c.CallID)
		if c.State != o.State || len(c.Msgs) != len(o.Msgs) || len(c.Txs) != len(o.Txs) || len(c.Dialogs) != len(o.Dialogs) || c.Retrans != o.Retrans {
			t.Fatalf("call %s changed: %+v vs %+v", c.CallID, c, o)
		}
		retrans += c.Retrans
		for j, mi := range c.Msgs {
			m, om := s.Msg(int(mi)), ref.Msg(int(o.Msgs[j]))
			if m == nil || !bytes.Equal(m.Raw(), om.Raw()) || m.Seq != mi || mi != o.Msgs[j] || int(m.Call) != c.Seq || m.Flags != om.Flags {
				t.Fatalf("call %s message %d differs", c.CallID, j)
			}
			for _, f := range []string{m.Method(), m.CallID(), m.From(), m.To(), m.FromTag(), m.ToTag(), m.Branch(), m.SentBy(), m.XCallID()} {
				if !within(f, m.Raw()) {
					t.Fatalf("message %d: field %q still points into the old bytes", mi, f)
				}
			}
		}
		for k, tx := range c.Txs {
			ot := o.Txs[k]
			if tx.Request >= 0 && !bytes.Equal(s.Msg(int(tx.Request)).Raw(), ref.Msg(int(ot.Request)).Raw()) ||
				len(tx.Msgs) != len(ot.Msgs) || tx.Final != ot.Final || (tx.ACK < 0) != (ot.ACK < 0) {
				t.Fatalf("call %s transaction %d differs", c.CallID, k)
			}
			if first := s.Msg(int(tx.First)); tx.Request >= 0 && first.Branch() != s.Msg(int(tx.Request)).Branch() {
				t.Fatalf("call %s transaction %d: first message's branch %q", c.CallID, k, first.Branch())
			}
		}
		if m := s.Msg(int(c.Msgs[0])); c.CallID != m.CallID() {
			t.Fatalf("call %s: Call-ID %q in its first message", c.CallID, m.CallID())
		}
	}
	for _, o := range ref.Calls() {
		if !kept[o.Seq] && (s.Call(o.Seq) != nil || s.Msg(int(o.Msgs[0])) != nil) {
			t.Fatalf("dropped call %s (Seq %d) is still found", o.CallID, o.Seq)
		}
	}
	if st.Retransmissions != retrans {
		t.Errorf("retransmissions %d, the kept calls hold %d", st.Retransmissions, retrans)
	}
	if s.Calls()[0].CallID != pinned {
		t.Errorf("the pinned call %s was evicted", pinned)
	}
	for id := range live {
		if refSeq(ref, id) < st.Evicted.Calls && s.Footprint() < before/4 {
			t.Errorf("call %s, not over, was evicted although completed ones were enough", id)
		}
	}
}

func refSeq(s *session.Store, id string) int {
	for _, c := range s.Calls() {
		if c.CallID == id {
			return c.Seq
		}
	}
	return -1
}

// A store that goes on growing after a compaction: new messages join the
// calls they belong to, and transactions still match.
func TestEvictThenGrow(t *testing.T) {
	var buf bytes.Buffer
	if _, err := gen.Generate(&buf, gen.Config{Seed: 11, Messages: 4000}); err != nil {
		t.Fatal(err)
	}
	load := func(evict bool) *session.Store {
		r, err := capture.NewReader(bytes.NewReader(buf.Bytes()), "gen.pcap", int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		s := session.NewStore()
		ch := pipeline.Stream(t.Context(), r, 1)
		for b := range ch {
			b.Apply(s)
			if evict {
				s.Evict(s.Footprint()*2/3, nil)
			}
		}
		return s
	}
	full, trimmed := load(false), load(true)
	if trimmed.Stats().Evicted.Calls == 0 {
		t.Fatal("no eviction happened")
	}
	// Every call still held must equal the same call of the full load,
	// however many compactions it lived through.
	for _, c := range trimmed.Calls() {
		// A dropped call's late messages open a new call, so call Seqs
		// differ between the loads; message Seqs do not.
		o := full.Call(refSeq(full, c.CallID))
		if o == nil || trimmed.Call(c.Seq) != c {
			t.Fatalf("call %s: Seq %d does not find it", c.CallID, c.Seq)
		}
		for _, mi := range c.Msgs {
			if m := trimmed.Msg(int(mi)); m == nil || m.Seq != mi || int(m.Call) != c.Seq || !bytes.Equal(m.Raw(), full.Msg(int(mi)).Raw()) {
				t.Fatalf("call %s: message Seq %d not found, or not the full load's", c.CallID, mi)
			}
		}
		if len(c.Msgs) > len(o.Msgs) || c.State != o.State && len(c.Msgs) == len(o.Msgs) {
			t.Errorf("call %s: %d msgs %v, full load %d msgs %v", c.CallID, len(c.Msgs), c.State, len(o.Msgs), o.State)
		}
		if len(c.Msgs) == len(o.Msgs) && len(c.Txs) != len(o.Txs) {
			t.Errorf("call %s: %d transactions, full load %d", c.CallID, len(c.Txs), len(o.Txs))
		}
	}
}

func TestEvictUnderTargetDoesNothing(t *testing.T) {
	s := genStore(t, 500)
	if n := s.Evict(s.Footprint(), nil); n != 0 {
		t.Fatal("evicted below the target")
	}
	if n := s.Evict(0, func(*session.Call) bool { return true }); n != 0 {
		t.Fatal("evicted calls that were all kept")
	}
}

// BenchmarkEvict measures a compaction of 100,000 messages that drops
// half of them: the pause a live view takes when it reaches its budget.
func BenchmarkEvict(b *testing.B) {
	var buf bytes.Buffer
	if _, err := gen.Generate(&buf, gen.Config{Seed: 3, Messages: 100000}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		r, err := capture.NewReader(bytes.NewReader(buf.Bytes()), "gen.pcap", int64(buf.Len()))
		if err != nil {
			b.Fatal(err)
		}
		s := session.NewStore()
		if err := pipeline.Load(r, s); err != nil {
			b.Fatal(err)
		}
		n := s.Len()
		b.StartTimer()
		s.Evict(s.Footprint()/2, nil)
		b.ReportMetric(float64(n), "msgs")
	}
}
