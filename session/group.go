package session

import (
	"encoding/binary"
	"hash/maphash"
	"strings"
)

// maxRetransScan bounds how far back in a transaction a copy is looked
// for, so that a flood of one branch stays linear.
const maxRetransScan = 64

// add appends m to the store and places it in its call, transaction and
// dialog. m is copied; its Raw must stay valid (the arena it was built
// in), and its status line number must be the store's.
func (s *Store) add(m *Message) {
	idx := s.stats.Messages
	if idx%msgChunk == 0 {
		s.msgs = append(s.msgs, make([]Message, 0, msgChunk))
	}
	last := &s.msgs[len(s.msgs)-1]
	*last = append(*last, *m)
	m = &(*last)[len(*last)-1]
	m.Seq = int32(idx + s.evicted.Messages)
	s.stats.Messages++
	if s.evicted.Messages == 0 {
		s.dense = s.stats.Messages
	}
	s.bytes += int64(len(m.Raw())+len(m.authCopy())) + msgOverhead

	c := s.call(m)
	m.Call = int32(c.Seq)
	if m.IsRequest() && (m.Flags&(FlagAuthorization|FlagProxyAuthorization) != 0 || m.Method() == "REGISTER") &&
		m.From() == c.From && m.To() == c.To {
		m.Flags |= FlagCallFromTo
	}
	c.Msgs = append(c.Msgs, m.Seq)
	if _, _, ok := m.PrivateReach(); ok {
		c.PrivateAddrs = true
	} else if _, _, ok := m.PrivateMedia(); ok {
		c.PrivateAddrs = true
	}
	if m.TimeNs > c.End {
		c.End = m.TimeNs
	}
	if !c.sawRequest && m.IsRequest() {
		c.sawRequest = true
		if ua := m.Header("User-Agent"); len(ua) > 0 {
			c.UserAgent = s.keep(ua[0])
		}
	}
	if !c.methodKnown && m.IsRequest() && !inDialogOnly(m.Method()) {
		c.Method, c.methodKnown = s.keep(m.Method()), true
	}
	tx := s.transaction(c, m)
	if m.Has(FlagRetransmission) {
		c.Retrans++
		s.stats.Retransmissions++
	} else if m.Has(FlagSDP) && s.media.indexed {
		s.noteMedia(c, m)
	}
	c.dialog(m, s.keep)
	c.State = c.advance(s, m, tx)
}

func (s *Store) call(m *Message) *Call {
	if h, ok := s.byID[m.CallID()]; ok {
		return s.Call(int(h))
	}
	// The call's strings are the store's own (see keep): Call-ID is the
	// map key every message looks up.
	c := &Call{Seq: len(s.calls) + s.evicted.Calls, CallID: s.keep(m.CallID()), XCallID: s.keep(m.XCallID()), Method: s.keep(m.Method()),
		From: s.keep(m.From()), To: s.keep(m.To()), Start: m.TimeNs, End: m.TimeNs, Src: m.Src(), Dst: m.Dst(), Transport: m.Transport,
		StartsWithRequest: m.IsRequest()}
	if inDialogOnly(m.Method()) {
		c.Method = "INVITE" // a call captured from its middle
	}
	s.byID[c.CallID] = int32(c.Seq)
	s.bytes += callOverhead
	if m.XCallID() != "" {
		s.byXID[m.XCallID()] = append(s.byXID[m.XCallID()], int32(c.Seq))
	}
	s.calls = append(s.calls, c)
	return c
}

// transaction finds or opens the transaction of m (RFC 3261 §17.1.3,
// §17.2.3): top Via branch and sent-by, CSeq method, with ACK matched to
// the INVITE it acknowledges. RFC 2543 peers send no z9hG4bK branch; the
// CSeq number and From tag in the key keep their transactions apart.
func (s *Store) transaction(c *Call, m *Message) *Transaction {
	k := txKey(s.seed, m, m.Method())
	if m.IsRequest() && m.Method() == "ACK" {
		if i, ok := c.findTx(txKey(s.seed, m, "INVITE")); ok && c.Txs[i].Final >= 300 {
			tx := &c.Txs[i]
			if tx.ACK >= 0 && s.isCopy(tx, m) {
				m.Flags |= FlagRetransmission
			} else if tx.ACK < 0 {
				tx.ACK = m.Seq
			}
			tx.Msgs = append(tx.Msgs, m.Seq)
			return tx
		}
	}
	i, ok := c.findTx(k)
	if !ok {
		i = c.addTx(Transaction{Method: s.keepMethod(m.Method()), CSeq: m.CSeq, Request: -1, ACK: -1, First: m.Seq, key: k})
		s.bytes += txOverhead
	}
	tx := &c.Txs[i]
	if s.isCopy(tx, m) {
		m.Flags |= FlagRetransmission
	} else if m.IsRequest() {
		if tx.Request < 0 {
			tx.Request = m.Seq
			tx.Credentials = m.Flags&(FlagAuthorization|FlagProxyAuthorization) != 0
		}
	} else {
		tx.Response = append(tx.Response, m.Seq)
		if m.Status >= 200 && tx.Final == 0 {
			tx.Final = m.Status
		}
	}
	tx.Msgs = append(tx.Msgs, m.Seq)
	return tx
}

// txKey identifies m's transaction (with method standing for its CSeq
// method) by a 64-bit hash of the top Via's branch and sent-by, the
// method, the From tag and the CSeq number. A transaction keeps the hash
// rather than the strings: 8 bytes instead of 64 and a copy of each, for
// a million transactions, and no need to read an earlier message (whose
// page may have been handed back) to compare. Two keys of one call
// collide with a probability of about 2⁻⁶⁴.
func txKey(seed maphash.Seed, m *Message, method string) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	// A response matches its client transaction by branch and CSeq
	// method alone (RFC 3261 §17.1.3): the sent-by of an RFC 3261 branch
	// is left out, so that a response whose Via an agent or a NAT
	// rewrote still finds its request. RFC 2543 branches need it.
	sentBy := m.SentBy()
	if strings.HasPrefix(m.Branch(), "z9hG4bK") {
		sentBy = ""
	}
	for _, f := range [...]string{m.Branch(), sentBy, method, m.FromTag()} {
		var n [4]byte
		binary.LittleEndian.PutUint32(n[:], uint32(len(f)))
		h.Write(n[:]) // lengths keep ("ab","c") and ("a","bc") apart
		h.WriteString(f)
	}
	var n [4]byte
	binary.LittleEndian.PutUint32(n[:], m.CSeq)
	h.Write(n[:])
	return h.Sum64()
}

// keepMethod is keep for a method name: the common ones are constants,
// which cost nothing to keep.
func (s *Store) keepMethod(m string) string {
	switch m {
	case "INVITE":
		return "INVITE"
	case "ACK":
		return "ACK"
	case "BYE":
		return "BYE"
	case "CANCEL":
		return "CANCEL"
	case "REGISTER":
		return "REGISTER"
	case "OPTIONS":
		return "OPTIONS"
	case "SUBSCRIBE":
		return "SUBSCRIBE"
	case "NOTIFY":
		return "NOTIFY"
	case "PRACK":
		return "PRACK"
	case "UPDATE":
		return "UPDATE"
	case "INFO":
		return "INFO"
	case "MESSAGE":
		return "MESSAGE"
	case "REFER":
		return "REFER"
	case "PUBLISH":
		return "PUBLISH"
	}
	return s.keep(m)
}

// txMapAt is the number of transactions from which a call indexes them
// in a map; below it a scan is cheaper than the map.
const txMapAt = 16

func (c *Call) findTx(k uint64) (int32, bool) {
	if c.txIndex != nil {
		i, ok := c.txIndex[k]
		return i, ok
	}
	for i := range c.Txs {
		if c.Txs[i].key == k {
			return int32(i), true
		}
	}
	return 0, false
}

func (c *Call) addTx(tx Transaction) int32 {
	i := int32(len(c.Txs))
	c.Txs = append(c.Txs, tx)
	switch {
	case c.txIndex != nil:
		c.txIndex[tx.key] = i
	case len(c.Txs) == txMapAt:
		c.indexTxs()
	}
	return i
}

// indexTxs builds the map of a call's transactions by key.
func (c *Call) indexTxs() {
	c.txIndex = make(map[uint64]int32, 2*len(c.Txs))
	for j := range c.Txs {
		c.txIndex[c.Txs[j].key] = int32(j)
	}
}

// isCopy reports whether tx already has this message travelling the same
// way: a request of the same method, or a response with the same status
// and To tag (a retransmission, §17.1.1.2 / §17.2.1).
func (s *Store) isCopy(tx *Transaction, m *Message) bool {
	msgs := tx.Msgs
	if len(msgs) > maxRetransScan {
		msgs = msgs[len(msgs)-maxRetransScan:]
	}
	for _, i := range msgs {
		o := s.Msg(int(i))
		if o.src != m.src || o.dst != m.dst || o.IsRequest() != m.IsRequest() {
			continue
		}
		// Within a transaction the requests are one method, or INVITE and
		// its ACK: the lengths tell them apart without reading the
		// earlier message, whose page may have been handed back.
		if m.IsRequest() && len(o.Method()) == len(m.Method()) {
			return true
		}
		if !m.IsRequest() && o.Status == m.Status && o.ToTag() == m.ToTag() {
			return true
		}
	}
	return false
}

// dialog counts m in the dialog its tags name (§12: Call-ID and both
// tags; which side is local depends on the direction, so the pair is
// taken unordered).
func (c *Call) dialog(m *Message, keep func(string) string) {
	if m.ToTag() == "" {
		return
	}
	for i := range c.Dialogs {
		d := &c.Dialogs[i]
		if (d.FromTag == m.FromTag() && d.ToTag == m.ToTag()) || (d.FromTag == m.ToTag() && d.ToTag == m.FromTag()) {
			d.Msgs++
			return
		}
	}
	if !m.IsRequest() && (m.Status >= 300 || m.Status < 101) {
		return // a final failure or a 100 creates no dialog (§12.1)
	}
	c.Dialogs = append(c.Dialogs, Dialog{FromTag: keep(m.FromTag()), ToTag: keep(m.ToTag()), First: m.Seq, Msgs: 1})
}

// inDialogOnly reports methods that only occur inside or about an INVITE
// dialog (RFC 3261 §9, §15; RFC 3262, RFC 3311, RFC 6086), so that a call
// whose INVITE was not captured is still known as one.
func inDialogOnly(method string) bool {
	switch method {
	case "ACK", "BYE", "CANCEL", "PRACK", "UPDATE", "INFO":
		return true
	}
	return false
}

// Summary is a one-line description of the call for lists.
func (c *Call) Summary() string {
	return strings.TrimSpace(c.Method + " " + c.From + " → " + c.To)
}
