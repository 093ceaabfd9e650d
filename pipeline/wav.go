package pipeline

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/sipdbg/sipdbg/media"
	"github.com/sipdbg/sipdbg/session"
)

// WAVFile is what WriteWAVs did with one stream.
type WAVFile struct {
	Stream   *session.Stream
	Name     string // what create named the file; "" when none was created (no G.711 payload)
	Packets  int    // G.711 packets decoded
	Duration time.Duration
}

// WAVCreate creates the file of a stream's audio and names it. It is
// called at the stream's first G.711 payload, so that a stream with none
// gets no file. WriteWAVs closes w when it is an io.Closer.
type WAVCreate func(st *session.Stream) (w io.WriteSeeker, name string, err error)

// maxOpenWAVs bounds the files written at once: the streams are read
// back this many at a time, each group in one pass over its frames.
const maxOpenWAVs = 32

// WriteWAVs reads the streams' packets back from the capture file they
// were loaded from (ReadBack) and writes each stream's G.711 audio as a
// WAV file (media.WAV), as it reads: no stream's audio is held. It
// returns what it wrote, in the order of streams, and the first error
// (the files written before it are complete).
func WriteWAVs(path string, streams []*session.Stream, create WAVCreate) ([]WAVFile, error) {
	order := slices.Clone(streams)
	slices.SortStableFunc(order, func(a, b *session.Stream) int { return cmp.Compare(a.FirstPacket, b.FirstPacket) })
	done := map[*session.Stream]WAVFile{}
	for len(order) > 0 {
		group := order[:min(len(order), maxOpenWAVs)]
		order = order[len(group):]
		files, err := wavGroup(path, group, create)
		for i, f := range files {
			done[group[i]] = f
		}
		if err != nil {
			return collect(streams, done), err
		}
	}
	return collect(streams, done), nil
}

func collect(streams []*session.Stream, done map[*session.Stream]WAVFile) []WAVFile {
	out := make([]WAVFile, 0, len(done))
	for _, st := range streams {
		if f, ok := done[st]; ok {
			out = append(out, f)
		}
	}
	return out
}

// wavGroup writes a group of streams in one pass.
func wavGroup(path string, group []*session.Stream, create WAVCreate) ([]WAVFile, error) {
	files := make([]WAVFile, len(group))
	wavs := make([]*media.WAV, len(group))
	outs := make([]io.WriteSeeker, len(group))
	err := ReadBack(path, group, func(p *RTPPacket) error {
		i := p.Stream
		if !media.G711(p.Header.PT) || len(p.Payload) == 0 {
			return nil
		}
		if wavs[i] == nil {
			w, name, err := create(group[i])
			if err != nil {
				return err
			}
			outs[i], files[i].Name = w, name
			if wavs[i], err = media.NewWAV(w); err != nil {
				return fmt.Errorf("%s: %v", name, err)
			}
		}
		files[i].Packets++
		if err := wavs[i].Add(p.Header, p.Payload); err != nil {
			return fmt.Errorf("%s: %v", files[i].Name, err)
		}
		return nil
	})
	for i := range group {
		files[i].Stream = group[i]
		if outs[i] == nil {
			continue
		}
		if wavs[i] != nil {
			if cerr := wavs[i].Close(); cerr != nil && err == nil {
				err = fmt.Errorf("%s: %v", files[i].Name, cerr)
			}
			files[i].Duration = wavs[i].Duration()
		}
		if c, ok := outs[i].(io.Closer); ok {
			if cerr := c.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("%s: %v", files[i].Name, cerr)
			}
		}
	}
	return files, err
}
