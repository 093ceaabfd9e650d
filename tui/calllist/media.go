package calllist

import (
	"strings"

	"github.com/sipdbg/sipdbg/session"
)

// The Media column: whether the call's RTP flowed, read from its streams
// and its state, never from an analysis (the list draws it for every
// row on screen and sorts a million calls by it).

// Media marks, in the Media column and in words for CSV.
const (
	MediaBoth = "✓" // streams both ways
	MediaOne  = "→" // streams one way only
	MediaNone = "✗" // no stream, though the call was answered with SDP
)

var mediaWords = map[string]string{MediaBoth: "both ways", MediaOne: "one way", MediaNone: "none", "": ""}

// MediaMark grades call c's media: MediaBoth when some stream has one
// coming back (from the host it goes to, to the host it comes from: by
// IP address, so that asymmetric ports and a relay's legs count),
// MediaOne when none has, MediaNone for an INVITE answered (in call, or
// completed) with a session description in the call but no stream, ""
// otherwise: no SDP, not answered, or a capture without any RTP, which
// says nothing of the media ("not in the capture" is not "never sent").
func MediaMark(s *session.Store, c *session.Call) string {
	if len(c.Streams) > 0 {
		sts := s.CallStreams(c)
		for _, a := range sts {
			for _, b := range sts {
				if b.Src.Addr() == a.Dst.Addr() && b.Dst.Addr() == a.Src.Addr() && a != b {
					return MediaBoth
				}
			}
		}
		return MediaOne
	}
	if s.MediaPackets() == 0 || c.Method != "INVITE" || (c.State != session.StateInCall && c.State != session.StateCompleted) {
		return ""
	}
	for _, mi := range c.Msgs {
		if s.Msg(int(mi)).Has(session.FlagSDP) {
			return MediaNone
		}
	}
	return ""
}

// streamCodec is the codec of the call's first stream without its rate
// ("PCMU"), "" without a stream: what was sent, over what was offered.
func streamCodec(s *session.Store, c *session.Call) string {
	if len(c.Streams) == 0 {
		return ""
	}
	st := s.Stream(int(c.Streams[0]))
	if st == nil {
		return ""
	}
	name, _, _ := strings.Cut(st.Codec, "/")
	return name
}

// media returns the call's media mark, looked again only when the call
// or its streams have grown since.
func (h *headerCache) media(s *session.Store, c *session.Call) string {
	e := h.entry(c)
	if !e.found || int(e.scanned) != len(c.Msgs) || int(e.streams) != len(c.Streams) {
		e.value = MediaMark(s, c)
		e.scanned, e.streams, e.found = int32(len(c.Msgs)), int32(len(c.Streams)), true
	}
	return e.value
}
