package probe

import (
	"strings"
	"testing"
	"time"
)

func rec(at time.Duration, sent bool, msg string) Record {
	return Record{Time: time.Unix(100, 0).Add(at), Sent: sent, Data: []byte(strings.ReplaceAll(msg, "\n", "\r\n"))}
}

const via = "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKa\n"

// Under load sipgo logs the 401 11 ms before the REGISTER it answers (it
// logs a write after the socket call returns), and the ACK before the
// 407 it acknowledges: the exchange's own sequence puts them back, with
// times in order; a CANCEL stays before the 487 it provokes.
func TestInOrderBySequence(t *testing.T) {
	r := []Record{
		rec(0, false, "SIP/2.0 401 Unauthorized\n"+via+"CSeq: 1 REGISTER\n\n"),
		rec(11*time.Millisecond, true, "REGISTER sip:x SIP/2.0\n"+via+"CSeq: 1 REGISTER\n\n"),
		rec(20*time.Millisecond, true, "ACK sip:x SIP/2.0\n"+strings.Replace(via, "bKa", "bKb", 1)+"CSeq: 1 ACK\n\n"),
		rec(30*time.Millisecond, false, "SIP/2.0 407 Proxy Authentication Required\n"+strings.Replace(via, "bKa", "bKb", 1)+"CSeq: 1 INVITE\n\n"),
		rec(40*time.Millisecond, true, "INVITE sip:x SIP/2.0\n"+strings.Replace(via, "bKa", "bKb", 1)+"CSeq: 1 INVITE\n\n"),
		rec(50*time.Millisecond, true, "CANCEL sip:x SIP/2.0\n"+strings.Replace(via, "bKa", "bKc", 1)+"CSeq: 2 CANCEL\n\n"),
		rec(51*time.Millisecond, false, "SIP/2.0 180 Ringing\n"+strings.Replace(via, "bKa", "bKc", 1)+"CSeq: 2 INVITE\n\n"),
		rec(52*time.Millisecond, false, "SIP/2.0 487 Request Terminated\n"+strings.Replace(via, "bKa", "bKc", 1)+"CSeq: 2 INVITE\n\n"),
	}
	got := inOrder(r)
	var lines []string
	for i, x := range got {
		lines = append(lines, strings.SplitN(string(x.Data), "\r\n", 2)[0])
		if i > 0 && !x.Time.After(got[i-1].Time) {
			t.Errorf("times out of order at %d", i)
		}
	}
	want := []string{"REGISTER sip:x SIP/2.0", "SIP/2.0 401 Unauthorized", "INVITE sip:x SIP/2.0", "SIP/2.0 407 Proxy Authentication Required",
		"ACK sip:x SIP/2.0", "SIP/2.0 180 Ringing", "CANCEL sip:x SIP/2.0", "SIP/2.0 487 Request Terminated"}
	if strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Errorf("order:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}
