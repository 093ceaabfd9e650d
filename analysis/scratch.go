package analysis

import (
	"sync"
)

// scratch holds what one Diagnose works with and drops when it returns:
// the attempts, their parsed headers, the chains, the findings being
// made. A report diagnoses every call of a capture, so these are kept
// in a pool and reused rather than allocated per call. Nothing returned
// to the caller points into a scratch.
type scratch struct {
	as     []attempt
	ptrs   []*attempt // &as[i]
	chs    []challenge
	crs    []credential
	realms []string // the realm lists of the attempts, back to back

	chains   []chainSpan
	legs     []chainKey         // the key of each chain, in order of first attempt
	legIndex map[chainKey]int32 // legs by key, once there are many
	byChain  []*attempt         // the attempts regrouped by chain

	chainRealms []string // realms challenged so far in the chain being walked
	nc          ncTable

	out   []Finding
	msgs  []int32 // the Messages of out, back to back
	order []orderKey
	buf   []byte            // a text being written
	texts map[string]string // recent texts, see text

	d diag // the call being judged: kept here, as it would otherwise be allocated for every call
}

// maxTexts bounds the texts a scratch remembers.
const maxTexts = 256

// text returns b as a string. The summaries and explanations of the
// usual findings are the same in call after call (the same method,
// realm and status line), so the scratch remembers the recent ones and
// the findings share them: a lookup instead of an allocation, and one
// copy of a text in memory for the many findings that say it.
func (sc *scratch) text(b []byte) string {
	if s, ok := sc.texts[string(b)]; ok {
		return s
	}
	if sc.texts == nil || len(sc.texts) >= maxTexts {
		sc.texts = make(map[string]string, maxTexts)
	}
	s := string(b)
	sc.texts[s] = s
	return s
}

// chainSpan is one chain's attempts, byChain[from:to].
type chainSpan struct{ from, to int32 }

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// maxPooled bounds the attempts a pooled scratch keeps room for: a call
// with thousands of transactions should not pin its buffers forever.
const maxPooled = 1 << 12

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

// put clears what points into the store (messages, header values) so
// that a pooled scratch keeps no capture alive, and pools sc. The texts
// stay: they are copies, and the next call is likely to say them again.
func (sc *scratch) put() {
	if cap(sc.as) > maxPooled || cap(sc.chs) > maxPooled || cap(sc.crs) > maxPooled || cap(sc.out) > maxPooled || cap(sc.msgs) > 4*maxPooled {
		return
	}
	clear(sc.as)
	clear(sc.ptrs)
	clear(sc.chs)
	clear(sc.crs)
	clear(sc.realms)
	clear(sc.legs)
	clear(sc.byChain)
	clear(sc.chainRealms[:cap(sc.chainRealms)]) // chain leaves its realms past the length
	clear(sc.out)
	sc.nc.reset()
	sc.d = diag{}
	sc.as, sc.ptrs, sc.chs, sc.crs, sc.realms = sc.as[:0], sc.ptrs[:0], sc.chs[:0], sc.crs[:0], sc.realms[:0]
	sc.chains, sc.legs, sc.byChain, sc.chainRealms = sc.chains[:0], sc.legs[:0], sc.byChain[:0], sc.chainRealms[:0]
	sc.out, sc.msgs, sc.order = sc.out[:0], sc.msgs[:0], sc.order[:0]
	if sc.legIndex != nil {
		clear(sc.legIndex)
	}
	scratchPool.Put(sc)
}

// ncTable remembers the last nc sent with each nonce in a chain, for the
// replay check of RFC 7616 §3.4. A chain has few nonces: a slice scanned
// in order, and a map once it grows long (a registration refreshed in
// one Call-ID for days).
type ncTable struct {
	list []ncEntry
	m    map[string]string
}

type ncEntry struct{ nonce, nc string }

const ncMapAt = 32

func (t *ncTable) get(nonce string) (string, bool) {
	if t.m != nil {
		nc, ok := t.m[nonce]
		return nc, ok
	}
	for i := range t.list {
		if t.list[i].nonce == nonce {
			return t.list[i].nc, true
		}
	}
	return "", false
}

func (t *ncTable) set(nonce, nc string) {
	if t.m != nil {
		t.m[nonce] = nc
		return
	}
	for i := range t.list {
		if t.list[i].nonce == nonce {
			t.list[i].nc = nc
			return
		}
	}
	if len(t.list) < ncMapAt {
		t.list = append(t.list, ncEntry{nonce, nc})
		return
	}
	t.m = make(map[string]string, 2*ncMapAt)
	for _, e := range t.list {
		t.m[e.nonce] = e.nc
	}
	t.m[nonce] = nc
}

// forget drops nonce: the server issued it again, its count restarts.
func (t *ncTable) forget(nonce string) {
	if t.m != nil {
		delete(t.m, nonce)
		return
	}
	for i := range t.list {
		if t.list[i].nonce == nonce {
			t.list = append(t.list[:i], t.list[i+1:]...)
			return
		}
	}
}

func (t *ncTable) reset() {
	clear(t.list)
	t.list = t.list[:0]
	t.m = nil
}
