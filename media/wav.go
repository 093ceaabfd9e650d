package media

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/zaf/g711"
)

// A G.711 stream becomes a WAV file that any player opens: 16-bit linear
// PCM, mono, 8000 Hz (the WAVE format's "fmt " chunk with
// WAVE_FORMAT_PCM, RFC 2361 appendix A). The samples are written as the
// packets come, never held: a one-hour call is 57 MB of PCM. The RIFF
// and data sizes, unknown until the end, are patched by Close.

const (
	wavRate      = 8000 // G.711's sampling rate, and its RTP clock (ITU-T G.711 §1; RFC 3551 §4.5.14)
	wavHeaderLen = 44
	// wavMaxSamples keeps the RIFF size (36 + 2 × samples) within its 32
	// bits: about 74 hours.
	wavMaxSamples = (1<<32 - 1 - 36) / 2
	// A timestamp that runs ahead of the arrival times by more than
	// wavMaxSkew, or back by more than wavMaxLate, is not a gap or a late
	// packet but a jump (a restarted sender keeping its SSRC, RFC 3550
	// §5.1's random start): the audio goes on where the clock says.
	wavMaxSkew = wavRate     // 1 s
	wavMaxLate = 2 * wavRate // 2 s
)

// WAV writes one G.711 stream as a WAV file: PCMU (payload type 0) and
// PCMA (8) packets decoded, each at its place by its RTP timestamp
// (RFC 3550 §5.1), lost packets as silence, other payload types
// (telephone-event, RFC 4733; comfort noise, RFC 3389) left out.
type WAV struct {
	w        io.WriteSeeker
	buf      *bufio.Writer
	started  bool
	next     uint32    // the RTP timestamp of sample end
	end, pos int64     // samples written; where buf writes
	last     time.Time // the arrival of the packet that ended at end
	lastLen  int64     // its samples
	pcm      []byte
	err      error
}

// NewWAV writes a WAV header with sizes to be patched by Close.
func NewWAV(w io.WriteSeeker) (*WAV, error) {
	x := &WAV{w: w, buf: bufio.NewWriterSize(w, 32<<10)}
	if _, err := x.buf.Write(wavHeader(0)); err != nil {
		return nil, err
	}
	return x, nil
}

// wavHeader is the RIFF header of a WAVE file of samples 16-bit mono
// samples at 8000 Hz (RFC 2361 appendix A: WAVE_FORMAT_PCM is 1; the
// "fmt " chunk of PCM is 16 bytes).
func wavHeader(samples int64) []byte {
	data := uint32(2 * samples)
	h := make([]byte, 0, wavHeaderLen)
	h = append(h, "RIFF"...)
	h = binary.LittleEndian.AppendUint32(h, 36+data) // the rest of the file after this field
	h = append(h, "WAVEfmt "...)
	h = binary.LittleEndian.AppendUint32(h, 16)
	h = binary.LittleEndian.AppendUint16(h, 1) // WAVE_FORMAT_PCM
	h = binary.LittleEndian.AppendUint16(h, 1) // mono
	h = binary.LittleEndian.AppendUint32(h, wavRate)
	h = binary.LittleEndian.AppendUint32(h, 2*wavRate) // bytes per second
	h = binary.LittleEndian.AppendUint16(h, 2)         // block align: one 16-bit sample
	h = binary.LittleEndian.AppendUint16(h, 16)        // bits per sample
	h = append(h, "data"...)
	return binary.LittleEndian.AppendUint32(h, data)
}

// G711 reports whether payload type pt is one WAV decodes: the static
// types of PCMU and PCMA (RFC 3551 §6, table 4).
func G711(pt uint8) bool { return pt == 0 || pt == 8 }

// Add writes the samples of one packet (its header p, with its arrival
// time, and its payload) at their place. Packets of other payload types
// are ignored. After an error every call returns it.
func (x *WAV) Add(p Packet, payload []byte) error {
	if x.err != nil || !G711(p.PT) || len(payload) == 0 {
		return x.err
	}
	n := int64(len(payload)) // G.711 codes one sample per byte (ITU-T G.711 §2)
	at := x.place(p, n)
	x.pcm = x.pcm[:0]
	for _, b := range payload {
		var s int16
		if p.PT == 0 {
			s = g711.DecodeUlawFrame(b) // µ-law, ITU-T G.711 table 2
		} else {
			s = g711.DecodeAlawFrame(b) // A-law, ITU-T G.711 table 1
		}
		x.pcm = binary.LittleEndian.AppendUint16(x.pcm, uint16(s))
	}
	if at < 0 { // it began before the file: its start is lost
		if n+at <= 0 {
			return nil
		}
		x.pcm, n, at = x.pcm[-2*at:], n+at, 0
	}
	if at+n > wavMaxSamples {
		x.err = fmt.Errorf("the stream is longer than a WAV file holds (%v)", time.Duration(wavMaxSamples)*time.Second/wavRate)
		return x.err
	}
	if at > x.end { // lost packets: silence, so that the audio keeps its timing
		x.err = x.silence(at - x.end)
	}
	if x.err == nil {
		x.err = x.writeAt(at, x.pcm)
	}
	if x.err == nil && at+n >= x.end {
		x.end, x.next, x.last, x.lastLen = at+n, p.TS+uint32(n), p.Time, n
	}
	return x.err
}

// place returns the sample where a packet of n samples starts: after the
// last by the difference of their timestamps (RFC 3550 §5.1: it counts
// sampling instants), unless the clock jumped.
func (x *WAV) place(p Packet, n int64) int64 {
	if !x.started {
		x.started = true
		return 0
	}
	d := int64(int32(p.TS - x.next)) // serial arithmetic: the timestamp wraps
	if d == 0 {
		return x.end
	}
	wall := int64(0) // the silence the arrival times say there was
	if gap := p.Time.Sub(x.last); !x.last.IsZero() && gap > 0 {
		wall = max(0, int64(gap)*wavRate/int64(time.Second)-x.lastLen)
	}
	if d > wall+wavMaxSkew || d < -wavMaxLate {
		return x.end + wall
	}
	return x.end + d
}

var zeros [4096]byte

// silence appends n samples of silence (zero in linear PCM).
func (x *WAV) silence(n int64) error {
	for n > 0 {
		k := min(n, int64(len(zeros)/2))
		if err := x.writeAt(x.end, zeros[:2*k]); err != nil {
			return err
		}
		x.end += k
		n -= k
	}
	return nil
}

// writeAt writes pcm at sample at, seeking when it is not where the last
// write ended (a late packet, written over the silence of its gap).
func (x *WAV) writeAt(at int64, pcm []byte) error {
	if at != x.pos {
		if err := x.buf.Flush(); err != nil {
			return err
		}
		if _, err := x.w.Seek(wavHeaderLen+2*at, io.SeekStart); err != nil {
			return err
		}
		x.pos = at
	}
	_, err := x.buf.Write(pcm)
	x.pos += int64(len(pcm) / 2)
	return err
}

// Samples is how many samples the file holds so far (8000 a second).
func (x *WAV) Samples() int64 { return x.end }

// Duration is how long the audio lasts.
func (x *WAV) Duration() time.Duration {
	return time.Duration(x.end) * time.Second / wavRate
}

// Close writes what is buffered and patches the header's sizes. It does
// not close the underlying writer.
func (x *WAV) Close() error {
	if errors.Is(x.err, errClosed) {
		return nil
	}
	if x.err != nil {
		return x.err
	}
	x.err = errClosed
	if err := x.buf.Flush(); err != nil {
		return err
	}
	h := wavHeader(x.end)
	for _, f := range []struct {
		off int64
		b   []byte
	}{{4, h[4:8]}, {40, h[40:44]}} {
		if _, err := x.w.Seek(f.off, io.SeekStart); err != nil {
			return err
		}
		if _, err := x.w.Write(f.b); err != nil {
			return err
		}
	}
	_, err := x.w.Seek(wavHeaderLen+2*x.end, io.SeekStart)
	return err
}

var errClosed = errors.New("the WAV file is closed")
