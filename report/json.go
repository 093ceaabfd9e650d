package report

import (
	"bytes"
	"io"
	"runtime"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/session"
)

// jsonTime is RFC 3339 with a fixed nanosecond fraction, so that columns
// of times sort and align as text.
const jsonTime = "2006-01-02T15:04:05.000000000Z07:00"

type jsonSource struct {
	Files []string `json:"files"`
}

type jsonStats struct {
	Packets         int   `json:"packets"`
	Bytes           int64 `json:"bytes"`
	SIPMessages     int   `json:"sip_messages"`
	Retransmissions int   `json:"retransmissions"`
	Calls           int   `json:"calls"`
	Undecodable     int   `json:"undecodable"`
	TCPGaps         int   `json:"tcp_gaps"`
	IPReassembled   int   `json:"ip_reassembled"`
	// FilteredMessages were left out by the start-up filters (never
	// stored: in no other count).
	FilteredMessages int `json:"filtered_messages"`
}

// JSON prints the report as one JSON document. Calls are encoded one at
// a time, straight from the store (callWriter), so that a large capture
// is never held twice in memory. Every byte of the document comes from
// the append functions of this package; the tests hold them to what
// encoding/json writes for the same shapes (jsonenc_test.go).
func JSON(w io.Writer, files []string, s *session.Store, opt analysis.Options) error {
	return JSONCalls(w, files, s, s.Calls(), opt)
}

// JSONCalls is JSON for some of the store's calls.
func JSONCalls(w io.Writer, files []string, s *session.Store, calls []*session.Call, opt analysis.Options) error {
	opt = surveyed(s, opt)
	head := appendHead(nil, jsonSource{Files: files}, statsOf(s))
	if _, err := w.Write(append(head, `,"calls":[`...)); err != nil {
		return err
	}
	writers := make([]callWriter, max(1, runtime.GOMAXPROCS(0)))
	err := eachInOrder(w, len(calls), newPager(s, calls), s.Guard, func(k, i int, buf *bytes.Buffer) error {
		if i > 0 {
			buf.WriteString(",\n")
		} else {
			buf.WriteString("\n")
		}
		buf.Write(writers[k].appendCall(buf.AvailableBuffer(), s, calls[i], opt))
		return nil
	})
	if err != nil {
		return err
	}
	tail := []byte("]")
	if fs := analysis.CaptureFindings(s); len(fs) > 0 {
		// What the capture shows outside any call; only when there is
		// some, so that other documents stay as they were.
		tail = appendFindings(append(tail, ",\n\"capture_findings\":"...), fs)
	}
	if sts := LoneStreams(s); len(sts) > 0 {
		// RTP no description names, found by its packets alone.
		var cw callWriter
		tail = append(tail, ",\n\"streams_outside_calls\":["...)
		for i, st := range sts {
			if i > 0 {
				tail = append(tail, ',')
			}
			tail = cw.appendStream(tail, st)
		}
		tail = append(tail, ']')
	}
	tail = append(append(tail, ",\n\"undecodable\":"...), appendUndecodable(nil, s.Undecodables())...)
	_, err = w.Write(append(tail, "}\n"...))
	return err
}

// CallsJSON is the JSON array of the store's calls, each as the report
// writes it: for documents of other commands that hold calls (the probe's).
func CallsJSON(s *session.Store, opt analysis.Options) []byte {
	opt = surveyed(s, opt)
	var w callWriter
	b := []byte{'['}
	_ = s.Guard(func() error {
		for i, c := range s.Calls() {
			if i > 0 {
				b = append(b, ',')
			}
			b = w.appendCall(b, s, c, opt)
		}
		return nil
	})
	return append(b, ']')
}

func statsOf(s *session.Store) jsonStats {
	st := s.Stats()
	return jsonStats{Packets: st.Decoder.Frames, Bytes: st.Decoder.Bytes, SIPMessages: st.Messages,
		Retransmissions: st.Retransmissions, Calls: st.Calls, Undecodable: st.Undecodable, FilteredMessages: st.Filtered,
		TCPGaps: st.Decoder.TCPGaps, IPReassembled: st.Decoder.Reassembled}
}
