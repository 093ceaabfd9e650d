package pipeline

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"time"

	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/media"
	"github.com/sipdbg/sipdbg/session"
)

// The store keeps statistics per stream, never payloads (a one-hour call
// is tens of megabytes of audio). Whatever needs the payloads, saving a
// call with its RTP or its audio as WAV, reads them back from the file,
// frame range by frame range, through the same decoder that found them.

// RTPPacket is one RTP packet read back from a capture file.
type RTPPacket struct {
	Stream   int // its stream's index in the slice given to ReadBack
	Frame    int // its frame number (1-based, as tshark numbers frames)
	Time     time.Time
	Src, Dst netip.AddrPort
	Header   media.Packet // its fixed header (RFC 3550 §5.1)
	// Data is the whole UDP payload: RTP header and payload. Payload is
	// Data's payload (after the header, CSRCs and extension, before the
	// padding: RFC 3550 §5.1, §5.3.1). Both are valid only during the
	// callback.
	Data, Payload []byte
}

// skipMargin is how many frames before the first stream's first packet
// are still decoded: an RTP datagram rebuilt from IP fragments carries
// its last fragment's frame number, and its first fragments come a few
// frames earlier.
const skipMargin = 64

// ReadBack reads the RTP packets of streams (distinct streams of a store
// loaded from path) back from the file, in capture order, and calls fn
// for each. It stops reading after the last stream's last packet, or at
// fn's first error, which it returns. It refuses a file that is not the
// one the streams were found in: one that ends too soon, or holds other
// packets in a stream's frames.
func ReadBack(path string, streams []*session.Stream, fn func(p *RTPPacket) error) error {
	if len(streams) == 0 {
		return nil
	}
	if path == "" || path == "-" {
		return errors.New("standard input cannot be read again: RTP payloads are read back from a capture file")
	}
	k := readSink{want: make(map[streamKey]int, len(streams)), streams: streams, counts: make([]int, len(streams)), fn: fn}
	first, last := streams[0].FirstPacket, 0
	for i, st := range streams {
		if _, dup := k.want[streamKey{st.Src, st.Dst, st.SSRC}]; !dup {
			k.want[streamKey{st.Src, st.Dst, st.SSRC}] = i
		}
		first, last = min(first, st.FirstPacket), max(last, st.LastPacket)
	}
	r, err := capture.Open(path)
	if err != nil {
		return err // it names the file
	}
	defer r.Close()
	dec := capture.NewDecoder(&k)
	end := 0
	err = capture.Guard(func() error {
		for {
			f, err := r.Next()
			if err != nil {
				return err
			}
			end = f.Num
			if f.Num < first-skipMargin {
				continue
			}
			dec.Decode(f)
			if k.err != nil || f.Num >= last {
				return k.err
			}
		}
	})
	switch {
	case errors.Is(err, io.EOF):
		return fmt.Errorf("%s: has changed since it was loaded: it ends at frame %d, its streams at frame %d", path, end, last)
	case errors.Is(err, capture.ErrShrank):
		return fmt.Errorf("%s: changed while its RTP was read back: %w", path, err)
	case err != nil:
		return err
	}
	return k.check(path)
}

type streamKey struct {
	src, dst netip.AddrPort
	ssrc     uint32
}

// readSink takes the decoder's datagrams only: the messages were read
// when the file was loaded.
type readSink struct {
	want    map[streamKey]int
	streams []*session.Stream
	counts  []int
	fn      func(p *RTPPacket) error
	p       RTPPacket
	err     error
}

func (*readSink) Message(*capture.Payload)        {}
func (*readSink) Undecodable(capture.Undecodable) {}

func (k *readSink) Datagram(d *capture.Datagram) {
	if k.err != nil {
		return
	}
	h, ok := media.ParseRTP(d.Data)
	if !ok {
		return
	}
	i, ok := k.want[streamKey{d.Src, d.Dst, h.SSRC}]
	if !ok || d.Packet < k.streams[i].FirstPacket || d.Packet > k.streams[i].LastPacket {
		return
	}
	k.counts[i]++
	h.Time = d.Time
	end := len(d.Data)
	if d.Data[0]&0x20 != 0 { // P bit: the last byte counts the padding (RFC 3550 §5.1); ParseRTP checked it
		end -= int(d.Data[end-1])
	}
	k.p = RTPPacket{Stream: i, Frame: d.Packet, Time: d.Time, Src: d.Src, Dst: d.Dst, Header: h, Data: d.Data, Payload: d.Data[end-h.Size : end]}
	k.err = k.fn(&k.p)
}

// check compares what was read with what the store counted when the
// file was loaded: the same decoder on the same frames finds the same
// packets, unless the file is another one.
func (k *readSink) check(path string) error {
	for i, st := range k.streams {
		if j := k.want[streamKey{st.Src, st.Dst, st.SSRC}]; j != i {
			continue // a duplicate: its packets went to the first
		}
		n := 0
		for _, t := range st.Types {
			n += t.Packets
		}
		if k.counts[i] != n {
			return fmt.Errorf("%s: has changed since it was loaded: frames %d–%d hold %d RTP packets of SSRC %#08x from %s to %s, not %d",
				path, st.FirstPacket, st.LastPacket, k.counts[i], st.SSRC, st.Src, st.Dst, n)
		}
	}
	return nil
}
