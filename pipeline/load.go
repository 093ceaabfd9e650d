// Package pipeline joins a capture source to a session store: it runs the
// capture decoder, turns what it emits into the session's own types, and
// hands the messages over in batches, on a goroutine of its own when the
// consumer is an interface. It owns the concurrency between reading and
// grouping. It imports capture and session; neither imports it, and it
// must not import analysis or anything above.
package pipeline

import (
	"context"
	"errors"
	"io"
	"sync"

	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/capture/tlsrec"
	"github.com/sipdbg/sipdbg/session"
)

// Load decodes every frame of r into s, in the calling goroutine. It
// returns nil at the end of the capture, or the error that stopped
// reading (a truncated file wraps capture.ErrTruncated): everything read
// before it is in s either way.
func Load(r capture.Source, s *session.Store) error {
	dec := capture.NewDecoder(storeSink{s})
	defer func() {
		s.SetDecoderStats(session.DecoderStats(dec.Stats()))
		loaded(r, s)
	}()
	s.SetBacking(capture.BackingOf(r, false))
	_, err := decode(r, dec, func() bool { return true })
	return err
}

// decode reads r into dec until its end or what stops reading, or until
// more, asked after each frame and at each idle moment, says to stop
// (stopped). A mapped file cut short ends it too (capture.Guard).
func decode(r capture.Source, dec *capture.Decoder, more func() bool) (stopped bool, err error) {
	err = capture.Guard(func() error {
		for {
			f, err := r.Next()
			switch {
			case errors.Is(err, capture.ErrIdle):
			case errors.Is(err, io.EOF):
				dec.Flush()
				return nil
			case err != nil:
				dec.Flush()
				return err
			default:
				dec.Decode(f)
			}
			if !more() {
				stopped = true
				return nil
			}
		}
	})
	return stopped, err
}

// loaded hands back the pages of a source read to its end (what was read
// is now read here and there, by the calls), and lets the store release
// them as it is read (session.Store.Release).
func loaded(r capture.Source, s *session.Store) {
	capture.Release(r)
	s.SetBacking(capture.BackingOf(r, true))
}

// LoadConcurrent is Load on two goroutines: decoding and indexing in one
// (Stream), grouping in the caller's. The store is the same; on two cores
// it takes about two thirds of the time.
func LoadConcurrent(r capture.Source, s *session.Store) error {
	return LoadConcurrentWith(r, s, Options{})
}

// Options change what a load keeps.
type Options struct {
	// NoMedia leaves RTP out: the decoder hands no datagram over, and no
	// stream is kept (the signalling alone, as before media analysis).
	NoMedia bool
	// Keylog holds the TLS secrets SIP over TLS and WSS is decrypted
	// with (capture.Decoder.SetKeylog); nil for none.
	Keylog *tlsrec.Keylog
	// Filter drops, as they are decoded, the messages of the calls it
	// does not keep (session.Keeper): they never reach the store.
	Filter session.Filter
}

// LoadConcurrentWith is LoadConcurrent with options.
func LoadConcurrentWith(r capture.Source, s *session.Store, opt Options) error {
	var err error
	for b := range StreamWith(context.Background(), r, 1, opt) {
		b.Apply(s)
		if b.Err != nil {
			err = b.Err
		}
	}
	return err
}

// Batch is a slice of a source's output, for a consumer that applies it
// to a Store in its own goroutine (the TUI does, in Update).
type Batch struct {
	Gen         int // the generation the stream was started with
	Messages    []session.Message
	Undecodable []session.Undecodable
	DNS         []session.DNS
	RTP         []session.RTP
	RTCP        []session.RTCP
	ICMP        []session.ICMP
	Stats       session.DecoderStats // the decoder's counts so far
	Filtered    int                  // messages the start-up filters left out so far
	Read, Size  int64                // bytes read and file size (-1 unknown)
	Drops       uint64               // packets a live source lost before reading them
	CountsDrops bool                 // the source counts drops (live interfaces)
	Refused     uint64               // packets a HEP listener refused (wrong or no password)
	Done        bool                 // the last batch of the stream
	Err         error                // with Done: what stopped reading, nil at a clean end
	pooled      bool                 // Messages came from batchPool and go back to it
	backing     capture.Backing      // what the messages' bytes rest on
	lines       session.StatusLines  // the producer's status lines, which Messages number
}

// Apply adds the batch to the store. It takes the batch's messages: their
// slice is cleared and reused for a later batch, so b.Messages must not
// be used afterwards.
func (b *Batch) Apply(s *session.Store) {
	s.SetBacking(b.backing)
	applyInOrder(s, b.Messages, b.RTP, b.lines)
	s.RTCPBatch(b.RTCP) // about streams already seen: after the batch's RTP
	if b.pooled && cap(b.Messages) == maxBatch {
		clear(b.Messages) // the pool must not keep the raw bytes alive
		empty := b.Messages[:0]
		batchPool.Put(&empty)
	}
	b.Messages = nil
	for _, u := range b.Undecodable {
		s.Undecodable(u)
	}
	for _, q := range b.DNS {
		s.DNS(q)
	}
	for _, q := range b.ICMP {
		s.ICMP(q)
	}
	if b.pooled && cap(b.RTP) == maxRTPBatch {
		empty := b.RTP[:0] // applied above (applyInOrder), with the messages
		rtpPool.Put(&empty)
	}
	b.RTP = nil
	s.SetDecoderStats(b.Stats)
	s.SetFiltered(b.Filtered)
}

// applyInOrder adds a batch's messages and RTP packets in capture order,
// as Load does: a stream is linked to the call whose description names
// its address when its first packet comes (session.Store.RTP), and an
// address a later call names again must not take the streams sent
// before that call.
func applyInOrder(s *session.Store, msgs []session.Message, rtp []session.RTP, lines session.StatusLines) {
	for len(rtp) > 0 {
		j := 0
		for j < len(msgs) && int(msgs[j].Packet) < rtp[0].Packet {
			j++
		}
		if j > 0 {
			s.AddBatch(msgs[:j], lines)
			msgs = msgs[j:]
		}
		k := 0
		for k < len(rtp) && (len(msgs) == 0 || rtp[k].Packet < int(msgs[0].Packet)) {
			k++
		}
		s.RTPBatch(rtp[:k])
		rtp = rtp[k:]
	}
	if len(msgs) > 0 {
		s.AddBatch(msgs, lines)
	}
}

// maxBatch is the most messages a batch holds before the producer waits
// for the consumer; maxRTPBatch the most RTP packets (media outnumbers
// signalling a hundred to one, and a packet is small).
const (
	maxBatch    = 4096
	maxRTPBatch = 16384
)

// Stream decodes r in a new goroutine and sends batches on the returned
// channel, which is closed after the batch with Done. A batch is handed
// over as soon as the consumer is ready and is at most maxBatch messages,
// so a slow consumer gets fewer, larger batches and the producer never
// runs more than one batch ahead. Cancelling ctx stops it.
func Stream(ctx context.Context, r capture.Source, gen int) <-chan Batch {
	return StreamWith(ctx, r, gen, Options{})
}

// StreamWith is Stream with options.
func StreamWith(ctx context.Context, r capture.Source, gen int, opt Options) <-chan Batch {
	out := make(chan Batch, 1)
	go func() {
		defer close(out)
		p := &producer{gen: gen, msgs: *batchPool.Get().(*[]session.Message), keep: session.NewKeeper(opt.Filter)}
		if !opt.NoMedia {
			p.rtp = *rtpPool.Get().(*[]session.RTP)
		}
		var sink capture.Sink = p
		if opt.NoMedia {
			sink = signalling{p}
		}
		dec := capture.NewDecoder(sink)
		dec.SetKeylog(opt.Keylog)
		// offer stops the stream when ctx is done: the consumer wants no
		// last batch then.
		cancelled, err := decode(r, dec, func() bool { return p.offer(ctx, out, dec, r) })
		if cancelled {
			return
		}
		// The end of the source, what stopped reading, or a mapped file
		// cut short (capture.ErrShrank): what was read is kept either way.
		capture.Release(r) // read: its pages go back, the consumer reads here and there
		b := p.take(dec, r)
		b.Done, b.Err, b.backing = true, err, capture.BackingOf(r, true)
		sendBatch(ctx, out, b)
	}()
	return out
}

// producer collects a batch; it is the decoder's sink in Stream.
type producer struct {
	gen  int
	b    session.Builder
	keep *session.Keeper // nil: every message
	in   session.Input
	msgs []session.Message
	bad  []session.Undecodable
	dns  []session.DNS
	rtp  []session.RTP
	rtcp []session.RTCP
	icmp []session.ICMP
}

// batchPool recycles batch slices of maxBatch messages.
var batchPool = sync.Pool{New: func() any {
	b := make([]session.Message, 0, maxBatch)
	return &b
}}

// rtpPool recycles batch slices of maxRTPBatch RTP packets. A capture
// with media holds a hundred times more RTP packets than SIP messages:
// growing a new slice for each batch allocated several hundred bytes per
// packet, and the garbage raised the peak RSS with the file's length.
// The packets hold no capture bytes, so a slice goes back uncleared.
var rtpPool = sync.Pool{New: func() any {
	b := make([]session.RTP, 0, maxRTPBatch)
	return &b
}}

func (p *producer) Message(pl *capture.Payload) {
	input(&p.in, pl)
	m := p.b.Message(&p.in)
	if !p.keep.Keep(&m) {
		p.b.Drop(&m)
		return
	}
	p.msgs = append(p.msgs, m)
}

func (p *producer) Undecodable(u capture.Undecodable) {
	p.bad = append(p.bad, session.Undecodable(u))
}

func (p *producer) DNS(q capture.DNS) { p.dns = append(p.dns, session.DNS(q)) }

// signalling is the producer as a sink without datagrams (Options.NoMedia).
type signalling struct{ p *producer }

func (k signalling) Message(pl *capture.Payload)       { k.p.Message(pl) }
func (k signalling) Undecodable(u capture.Undecodable) { k.p.Undecodable(u) }
func (k signalling) DNS(q capture.DNS)                 { k.p.DNS(q) }
func (k signalling) ICMP(q capture.ICMP)               { k.p.ICMP(q) }

func (p *producer) ICMP(q capture.ICMP) { p.icmp = append(p.icmp, session.ICMP(q)) }

func (p *producer) Datagram(d *capture.Datagram) {
	n := len(p.rtp)
	p.rtp = append(p.rtp, session.RTP{})
	if !rtpInto(&p.rtp[n], d) {
		p.rtp = p.rtp[:n]
		if c, ok := rtcpOf(d); ok {
			p.rtcp = append(p.rtcp, c)
		}
	}
}

func (p *producer) take(dec *capture.Decoder, r capture.Source) Batch {
	read, size := r.Progress()
	b := Batch{Gen: p.gen, Messages: p.msgs, Undecodable: p.bad, DNS: p.dns, RTP: p.rtp, RTCP: p.rtcp, ICMP: p.icmp, Stats: session.DecoderStats(dec.Stats()), Filtered: p.keep.Dropped(), Read: read, Size: size, pooled: true,
		backing: capture.BackingOf(r, false), lines: p.b.Lines()}
	b.Drops, b.CountsDrops = capture.Drops(r)
	b.Refused = capture.Refused(r)
	// The batch belongs to the consumer now, which gives the slice back
	// to the pool once applied: a batch handed over after a few messages
	// costs no new allocation of a full batch.
	p.msgs, p.bad, p.dns, p.rtcp, p.icmp = *batchPool.Get().(*[]session.Message), nil, nil, nil, nil
	if len(b.RTP) > 0 {
		p.rtp = *rtpPool.Get().(*[]session.RTP)
	} else {
		p.rtp, b.RTP = b.RTP, nil // unused: the producer keeps it
	}
	return b
}

// offer hands the batch over if the consumer is ready, or waits when it
// is full. It returns false when ctx is done.
func (p *producer) offer(ctx context.Context, out chan<- Batch, dec *capture.Decoder, r capture.Source) bool {
	if len(p.msgs) == 0 && len(p.bad) == 0 && len(p.dns) == 0 && len(p.rtp) == 0 && len(p.rtcp) == 0 && len(p.icmp) == 0 {
		return ctx.Err() == nil
	}
	if len(p.msgs) >= maxBatch || len(p.rtp) >= maxRTPBatch {
		return sendBatch(ctx, out, p.take(dec, r))
	}
	select {
	case <-ctx.Done():
		return false
	default:
	}
	if len(out) == 0 { // the consumer has taken the previous batch
		select {
		case out <- p.take(dec, r):
		default:
		}
	}
	return true
}

func sendBatch(ctx context.Context, out chan<- Batch, b Batch) bool {
	select {
	case out <- b:
		return true
	case <-ctx.Done():
		return false
	}
}
