package tui

import (
	"io"
	"path/filepath"
	"slices"

	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/report/export"
	"github.com/sipdbg/sipdbg/session"
)

// A call saved as pcap takes its RTP along (sngrep #301, #417), so that
// Wireshark plays it and sipdbg shows its streams again. The store keeps
// no payload: they are read back from the capture file, packet by
// packet, while the pcap is written. A live capture, standard input or a
// paste cannot be read again: their calls are saved without RTP, and the
// dialog says so.

// WithFile says that the capture was read from the file at path, which a
// save reads the calls' RTP back from.
func (m Model) WithFile(path string) Model {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	m.base().file = path
	return m
}

// callStreams returns the streams of calls, call by call.
func callStreams(s *session.Store, calls []*session.Call) []*session.Stream {
	var out []*session.Stream
	for _, c := range calls {
		out = append(out, s.CallStreams(c)...)
	}
	return out
}

// snapshot copies streams for a Cmd: while a capture loads, Update adds
// packets to them (LastPacket, Types), and a read back needs the frames
// and counts of one moment.
func snapshot(streams []*session.Stream) []*session.Stream {
	out := make([]*session.Stream, len(streams))
	for i, st := range streams {
		c := *st
		c.Types = slices.Clone(st.Types)
		out[i] = &c
	}
	return out
}

// writePcap writes msgs and, when there is a file to read them back
// from, the streams' RTP packets among them in time order.
func writePcap(w io.Writer, msgs []export.Msg, file string, streams []*session.Stream) error {
	if file == "" || len(streams) == 0 {
		return export.Write(w, msgs)
	}
	return export.WriteWith(w, msgs, func(emit func(export.Datagram) error) error {
		return pipeline.ReadBack(file, streams, func(p *pipeline.RTPPacket) error {
			return emit(export.Datagram{Time: p.Time, Src: p.Src, Dst: p.Dst, Data: p.Data})
		})
	})
}

// rtpNote is what a pcap save says of the RTP: how many streams it
// holds, or why it holds none.
func rtpNote(j *saveJob) string {
	switch {
	case len(j.streams) == 0:
		return ""
	case j.file == "":
		return " (SIP only: the RTP of " + plural(len(j.streams), "stream") + " is not kept in memory, and this source, live, standard input or a paste, cannot be read again)"
	}
	return ", with the RTP of " + plural(len(j.streams), "stream")
}
