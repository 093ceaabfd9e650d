package analysis

import (
	"net/netip"
	"slices"

	"github.com/sipdbg/sipdbg/session"
)

// callIndex is what the checks of unanswered challenges look up in a
// call, gathered in one pass over its messages the first time one needs
// it: a call with thousands of unanswered challenges (a scanner's, one
// Call-ID) is then judged in linear time, not by a scan of the call per
// challenge.
type callIndex struct {
	built bool
	reqs  map[netip.Addr][]int32            // store indexes of each source's requests, in order
	resps map[respKey]int32                 // the last response of each source, status and CSeq
	oks   []*attempt                        // attempts that got a 2xx
	uris  map[string]bool                   // digest uris of credentials a 2xx answered
	acks  map[uint32][]*session.Transaction // ACK transactions of their own (a 2xx's, or a new branch), by CSeq
}

type respKey struct {
	src    netip.AddrPort
	status uint16
	cseq   uint32
}

func (d *diag) index() *callIndex {
	x := &d.idxCall
	if x.built {
		return x
	}
	x.built = true
	x.reqs, x.resps, x.uris = map[netip.Addr][]int32{}, map[respKey]int32{}, map[string]bool{}
	for _, mi := range d.c.Msgs {
		m := d.s.Msg(int(mi))
		if m.IsRequest() {
			a := m.Src().Addr()
			x.reqs[a] = append(x.reqs[a], mi)
		} else {
			x.resps[respKey{m.Src(), m.Status, m.CSeq}] = mi
		}
	}
	x.acks = map[uint32][]*session.Transaction{}
	for i := range d.c.Txs {
		if tx := &d.c.Txs[i]; tx.Method == "ACK" && tx.Request >= 0 {
			x.acks[tx.CSeq] = append(x.acks[tx.CSeq], tx)
		}
	}
	for _, b := range d.sc.ptrs {
		if b.tx.Final >= 200 && b.tx.Final < 300 {
			x.oks = append(x.oks, b)
			for i := range b.creds {
				x.uris[b.creds[i].URI] = true
			}
		}
	}
	return x
}

// laterRequest reports whether client sent a request in the call after
// message after that is not one of skip (the challenged transaction's own
// ACK and retransmissions).
func (x *callIndex) laterRequest(client netip.Addr, after int32, skip []int32) bool {
	rs := x.reqs[client]
	i, _ := slices.BinarySearch(rs, after+1)
	for ; i < len(rs); i++ {
		if !slices.Contains(skip, rs[i]) {
			return true
		}
	}
	return false
}
