package report

import (
	"fmt"
	"strings"

	"github.com/sipdbg/sipdbg/media"
	"github.com/sipdbg/sipdbg/session"
)

// A stream's audio is written as WAV when it is G.711 (PCMU or PCMA: the
// only codecs sipdbg decodes, ITU-T G.711), one file per stream, named so
// that a directory of them sorts by call and says which way each went.

// WAVName names the WAV file of a stream: its call's number (or its own,
// when no call's SDP names it), its direction and its SSRC, as in
// call3-10.0.0.1_4000-to-10.0.0.2_5000-0x1234abcd.wav.
func WAVName(st *session.Stream) string {
	who := fmt.Sprintf("stream%d", st.Seq+1)
	if st.Call >= 0 {
		who = fmt.Sprintf("call%d", st.Call+1)
	}
	return fmt.Sprintf("%s-%s-to-%s-0x%08x.wav", who, fileAddr(st.Src.String()), fileAddr(st.Dst.String()), st.SSRC)
}

// fileAddr writes an address and port without the characters file
// systems refuse or shells trip on: 10.0.0.1:4000 → 10.0.0.1_4000,
// [2001:db8::1]:4000 → 2001-db8--1_4000.
func fileAddr(a string) string {
	if i := strings.LastIndexByte(a, ':'); i >= 0 {
		a = a[:i] + "_" + a[i+1:]
	}
	return strings.NewReplacer("[", "", "]", "", ":", "-", "%", "-", " ", "-").Replace(a)
}

// WAVSkip says why a stream has no WAV file, "" when it has G.711
// packets to decode.
func WAVSkip(st *session.Stream) string {
	if st.SRTP {
		return "its payloads are encrypted (SRTP, RFC 3711): no key to read them"
	}
	for _, t := range st.Types {
		if media.G711(t.PT) {
			return ""
		}
	}
	codec, _, _ := strings.Cut(st.Codec, "/")
	if codec == "" {
		codec = "its codec"
	}
	return codec + " cannot be decoded to WAV (only G.711: PCMU and PCMA)"
}

// WAVStream names a stream in a line about its file: call, direction,
// SSRC and codec.
func WAVStream(st *session.Stream) string {
	who := fmt.Sprintf("stream %d", st.Seq+1)
	if st.Call >= 0 {
		who = fmt.Sprintf("call %d", st.Call+1)
	}
	return fmt.Sprintf("%s %s → %s ssrc 0x%08x %s", who, st.Src, st.Dst, st.SSRC, st.Codec)
}
