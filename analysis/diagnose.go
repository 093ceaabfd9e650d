package analysis

import (
	"cmp"
	"slices"

	"github.com/sipdbg/sipdbg/session"
)

// Options tune the diagnosis.
type Options struct {
	// Credentials are candidate passwords to check the captured digest
	// responses against. None: no password findings.
	Credentials []Credential
	// StopsAfterRejection says the trace is a probe's, which stops by
	// design once its credentials are refused: the challenge that refused
	// them is not reported as unanswered.
	StopsAfterRejection bool
	// Survey is what the whole capture says of each source (NewSurvey):
	// scanners and password guessing. Nil: no security findings.
	Survey *Survey
	// SlowSetup is the post-dial delay (INVITE to the first 18x or
	// final, in ns) past which a call's setup is slow; 0: 5 s.
	SlowSetup int64
	// MediaLoss is the share of a stream's packets lost (0.03 for 3%)
	// past which it is a media-loss finding; 0: 3%.
	MediaLoss float64
	// MediaJitter is the interarrival jitter, in ms, that a stream's
	// maximum must reach to be a media-jitter finding; 0: 30 ms.
	MediaJitter float64
}

// retryWindow is how long after a challenge a retry in another call
// (a UA that changes Call-ID, against RFC 3261 §8.1.3.5) still counts.
const retryWindow = 64e9 // twice timer B/F (64*T1): room for a user typing a password

// Diagnose returns the authentication findings of call c, ordered by the
// first message each concerns.
func Diagnose(s *session.Store, c *session.Call, opt Options) []Finding {
	sc := getScratch()
	defer sc.put()
	d := &sc.d
	*d = diag{s: s, c: c, opt: opt, sc: sc}
	as := attempts(s, c, sc)
	spans := d.chains(as)
	var byCSeq map[relayKey][]*attempt
	if len(spans) > 1 { // one chain cannot be a copy of another
		byCSeq = d.attemptsByCSeq(as)
	}
	for _, sp := range spans {
		ch := sc.byChain[sp.from:sp.to]
		d.hop = len(spans) > 1 && relayCopy(ch, as, byCSeq)
		d.chain(ch)
	}
	d.hop = false
	d.acks(as)
	d.timeouts(as)
	d.slowSetup(as)
	d.codecs(as)
	d.media(as)
	d.dialogs(as)
	d.nat(as)
	d.transport(as)
	d.dnsOf(as)
	d.failures(as)
	d.security(as)
	return d.result()
}

// last orders findings by the latest message each concerns, so that what
// is said about a retry follows what is said about its challenge.
func last(f *Finding) int32 {
	if len(f.Messages) == 0 {
		return 1<<31 - 1
	}
	return slices.Max(f.Messages)
}

type diag struct {
	s           *session.Store
	c           *session.Call
	opt         Options
	sc          *scratch
	schemeSaid  bool                    // an auth-scheme finding was made for the call
	authIntSaid bool                    // an auth-int-only finding was made
	serverSaid  bool                    // a server-realm-mismatch finding was made
	idxCall     callIndex               // see index
	exchanges   []plan                  // the call's offer/answer exchanges with audio, once media found them
	hop         bool                    // the chain being judged is a proxy's copy of another (relayCopy)
	byCSeq      map[relayKey][]*attempt // see attemptsByCSeq
}

func (d *diag) add(f Finding) {
	f.hop = d.hop
	d.sc.out = append(d.sc.out, f)
}

// orderKey places finding i of the scratch list by its last message; i
// breaks ties, so that the sort is stable.
type orderKey struct{ last, i int32 }

// result returns the findings in order of their last message, findings
// on the same message in the order they were made. They are copied out
// of the scratch into one slice, and their messages into one array:
// two allocations per call however many findings it has.
func (d *diag) result() []Finding {
	out := d.sc.out
	if len(out) == 0 {
		return nil
	}
	order, sorted, n := d.sc.order[:0], true, 0
	for i := range out {
		k := last(&out[i])
		if i > 0 && k < order[i-1].last {
			sorted = false
		}
		order = append(order, orderKey{k, int32(i)})
		n += len(out[i].Messages)
	}
	if !sorted {
		slices.SortFunc(order, func(a, b orderKey) int {
			if a.last != b.last {
				return cmp.Compare(a.last, b.last)
			}
			return cmp.Compare(a.i, b.i)
		})
	}
	d.sc.order = order
	if repeats(out) {
		return collapse(out, order)
	}
	res := make([]Finding, len(out))
	msgs := make([]int32, n)
	for j, o := range order {
		res[j] = out[o.i]
		if k := len(res[j].Messages); k > 0 {
			copy(msgs, res[j].Messages)
			res[j].Messages, msgs = msgs[:k:k], msgs[k:]
		}
	}
	return res
}

// idx returns the store indexes of ms, skipping nil, in the scratch: the
// result copies them out.
func (d *diag) idx(ms ...*session.Message) []int32 {
	start := len(d.sc.msgs)
	for _, m := range ms {
		if m != nil {
			d.sc.msgs = append(d.sc.msgs, m.Seq)
		}
	}
	if len(d.sc.msgs) == start {
		return nil
	}
	return d.sc.msgs[start:len(d.sc.msgs):len(d.sc.msgs)]
}
