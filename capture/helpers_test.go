package capture

import (
	"bytes"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/sipdbg/sipdbg/internal/testkit/pcaptest"
)

// collect is a Sink that keeps copies of everything.
type collect struct {
	msgs []Payload
	bad  []Undecodable
}

func (c *collect) Message(p *Payload) {
	q := *p
	q.Data = append([]byte(nil), p.Data...)
	c.msgs = append(c.msgs, q)
}

func (c *collect) Undecodable(u Undecodable) { c.bad = append(c.bad, u) }

func (c *collect) firstLines() []string {
	var out []string
	for _, m := range c.msgs {
		line := m.Data
		if i := bytes.IndexByte(line, '\r'); i >= 0 {
			line = line[:i]
		}
		out = append(out, string(line))
	}
	return out
}

// decodeFrames runs link-layer frames through a Decoder.
func decodeFrames(t testing.TB, link layers.LinkType, frames ...[]byte) (*collect, Stats) {
	t.Helper()
	c := &collect{}
	d := NewDecoder(c)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, f := range frames {
		d.Decode(Frame{Num: i + 1, Time: at.Add(time.Duration(i) * time.Millisecond), Link: link, Data: f})
	}
	d.Flush()
	return c, d.Stats()
}

// ipPacket strips the Ethernet header from a pcaptest frame.
func ipPacket(frame []byte) []byte { return frame[14:] }

var (
	alice = pcaptest.Addr("10.0.0.1:5060")
	bob   = pcaptest.Addr("10.0.0.2:5060")
)

func invite(callID string) []byte {
	return pcaptest.Request("INVITE", callID, "z9hG4bK-"+callID, 1, "v=0\r\n")
}
