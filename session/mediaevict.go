package session

import "net/netip"

// The media streams go with their calls when a live store trims itself
// to its memory budget (Evict): a stream holds no packet, but its
// statistics keep a bucket per second, and a capture that runs for days
// sees many calls come and go.

// streamOverhead is what a stream adds to the footprint: its statistics,
// its index entries and, for a long call, a few minutes of buckets.
const streamOverhead = 4096

// maxLoneStreams bounds the streams no call names that an eviction keeps
// (the latest ones): RTP of calls the capture missed.
const maxLoneStreams = 1024

// compactMedia keeps the streams of the calls kept (and the latest
// streams of no call) and rebuilds the indexes over them. Streams get
// new Seqs, in the same order; calls' Streams follow.
func (s *Store) compactMedia(kept func(callSeq int) bool) {
	md := &s.media
	lone := 0
	for _, st := range md.streams {
		if st.Call < 0 {
			lone++
		}
	}
	var streams []*Stream
	for _, st := range md.streams {
		switch {
		case st.Call >= 0 && kept(st.Call):
		case st.Call < 0 && lone <= maxLoneStreams:
		case st.Call < 0:
			lone--
			continue
		default:
			continue
		}
		streams = append(streams, st)
	}
	for _, c := range s.calls {
		c.Streams = c.Streams[:0]
	}
	*md = mediaState{sdp: md.sdp, srAt: md.srAt, packets: md.packets, indexed: md.indexed}
	for addr, ref := range md.sdp {
		if !kept(ref.call) {
			delete(md.sdp, addr)
		}
	}
	for i, st := range streams {
		st.Seq = i
		md.index(st, int32(i))
		if st.Call >= 0 {
			if c := s.Call(st.Call); c != nil {
				c.Streams = append(c.Streams, int32(i))
			}
		} else {
			md.orphan(st, int32(i))
		}
	}
	md.streams = streams
}

// index enters stream i in the indexes by address, host and SSRC.
func (md *mediaState) index(st *Stream, i int32) {
	if md.at == nil {
		md.at, md.hosts, md.bySSRC = map[netip.AddrPort][]int32{}, map[netip.Addr]int32{}, map[uint32][]int32{}
	}
	md.at[st.Src] = append(md.at[st.Src], i)
	md.at[st.Dst] = append(md.at[st.Dst], i)
	md.hosts[st.Src.Addr()]++
	md.hosts[st.Dst.Addr()]++
	md.bySSRC[st.SSRC] = append(md.bySSRC[st.SSRC], i)
}

// orphan notes a stream no description names yet, by both addresses.
func (md *mediaState) orphan(st *Stream, i int32) {
	if md.orphans == nil {
		md.orphans = map[netip.AddrPort][]int32{}
	}
	md.orphans[st.Dst] = append(md.orphans[st.Dst], i)
	md.orphans[st.Src] = append(md.orphans[st.Src], i)
}
