package texttrace

import (
	"bytes"
	"strconv"
	"time"
)

// sipdumpState collects the "key: value" lines of a Kamailio sipdump
// entry (sipdump_write.c):
//
//	====================
//	tag: rcv
//	pid: 7544
//	process: 1
//	time: 1795864748.318168
//	date: Sat Nov 28 11:19:08 2026
//	proto: udp ipv4
//	srcip: 127.0.0.1
//	srcport: 5391
//	dstip: 127.0.0.1
//	dstport: 5390
//	~~~~~~~~~~~~~~~~~~~~
//	<the message as received or sent>||||||||||||||||||||
type sipdumpState struct {
	active         bool
	start          int
	m              meta
	srcIP, dstIP   []byte
	srcPort, dstPt []byte
}

func sipdumpStart(t []byte) bool { return len(t) == 20 && allBytes(t, '=') }

func sipdumpEnd(t []byte) bool { return len(t) == 20 && allBytes(t, '|') }

// begin starts an entry if t is its first line.
func (s *sipdumpState) begin(t []byte, n int) bool {
	if !sipdumpStart(t) {
		return false
	}
	*s = sipdumpState{active: true, start: n, m: meta{format: FormatSipdump, end: endSipdump}}
	return true
}

// line takes the next line of an entry. It returns the entry's meta and
// done at the "~~~~" line; ok is false for a line that does not belong.
func (s *sipdumpState) line(t []byte) (m meta, done, ok bool) {
	if len(t) == 20 && allBytes(t, '~') {
		s.active = false
		s.finishAddrs()
		return s.m, true, true
	}
	k, v, found := bytes.Cut(t, []byte(": "))
	if !found || len(k) == 0 || len(k) > 16 {
		return meta{}, false, false
	}
	switch string(k) {
	case "time":
		s.m.ts = epochStamp(v)
	case "proto":
		w, _, _ := bytes.Cut(v, []byte(" "))
		s.m.setTransport(w)
	case "srcip":
		s.srcIP = bytes.Clone(v)
	case "dstip":
		s.dstIP = bytes.Clone(v)
	case "srcport":
		s.srcPort = bytes.Clone(v)
	case "dstport":
		s.dstPt = bytes.Clone(v)
	}
	return meta{}, false, true
}

func (s *sipdumpState) finishAddrs() {
	if len(s.srcIP) > 0 {
		s.m.setAddr(joinAddr(s.srcIP, s.srcPort), true)
	}
	if len(s.dstIP) > 0 {
		s.m.setAddr(joinAddr(s.dstIP, s.dstPt), false)
	}
}

// joinAddr builds "ip:port", bracketing an IPv6 address.
func joinAddr(ip, port []byte) []byte {
	if bytes.IndexByte(ip, ':') >= 0 && ip[0] != '[' {
		return append(append(append([]byte("["), ip...), "]:"...), port...)
	}
	return append(append(append([]byte{}, ip...), ':'), port...)
}

// epochStamp reads "1795864748.318168" (seconds.microseconds since the epoch).
func epochStamp(v []byte) stamp {
	sec, frac, _ := bytes.Cut(v, []byte("."))
	s, err := strconv.ParseInt(string(sec), 10, 64)
	if err != nil || s < 0 || s > 1<<40 {
		return stamp{}
	}
	ns, _ := scanFraction(frac)
	return stampOf(time.Unix(s, int64(ns)).UTC())
}

// stampOf turns a point in time into a fullStamp.
func stampOf(t time.Time) stamp {
	y, m, d := t.Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return stamp{kind: fullStamp, year: y, month: m, day: d, tod: t.Sub(midnight)}
}
