//go:build linux

package capture

import (
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

func TestLiveNeedsPrivilegeOrSaysWhy(t *testing.T) {
	l, err := OpenLive("lo", nil)
	if os.Geteuid() != 0 {
		if err == nil || !strings.Contains(err.Error(), "CAP_NET_RAW") || !strings.Contains(err.Error(), "setcap") {
			t.Errorf("without privilege: %v", err)
		}
		return
	}
	if err != nil {
		t.Fatalf("as root: %v", err)
	}
	l.Close()
	if _, err := l.Next(); err == nil {
		t.Error("Next after Close did not end")
	}
	if _, err := OpenLive("nosuchif0", nil); err == nil || !strings.Contains(err.Error(), "no network interface") {
		t.Errorf("unknown interface: %v", err)
	}
}

// TestLiveCapturesLoopback captures a SIP message sent on lo (root only).
func TestLiveCapturesLoopback(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("live capture needs root or CAP_NET_RAW")
	}
	l, err := OpenLive("lo", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	msg := []byte("OPTIONS sip:live@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5698;branch=z9hG4bKlive\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: live-test\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
	go func() {
		time.Sleep(100 * time.Millisecond)
		if c, err := net.Dial("udp", "127.0.0.1:5699"); err == nil {
			c.Write(msg)
			c.Close()
		}
	}()
	c := &collect{}
	d := NewDecoder(c)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		f, err := l.Next()
		if errors.Is(err, ErrIdle) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		d.Decode(f)
		for _, m := range c.msgs {
			if strings.Contains(string(m.Data), "Call-ID: live-test") {
				if m.Dst.Port() != 5699 || m.Transport != UDP {
					t.Errorf("captured %v → %v over %v", m.Src, m.Dst, m.Transport)
				}
				return
			}
		}
	}
	t.Fatal("the message sent on lo was not captured")
}

// TestLiveTCPAndIPv6 captures on lo, as root: three SIP messages written
// in one TCP segment, then UDP over IPv6; every message arrives, in order.
func TestLiveTCPAndIPv6(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("live capture needs root or CAP_NET_RAW")
	}
	l, err := OpenLive("lo", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		if c, err := ln.Accept(); err == nil {
			io.Copy(io.Discard, c)
			c.Close()
		}
	}()
	msg := func(id string) string {
		return "OPTIONS sip:live@x SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5697;branch=z9hG4bK" + id +
			"\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: live-" + id + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
	}
	go func() {
		time.Sleep(100 * time.Millisecond)
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			return
		}
		c.Write([]byte(msg("tcp1") + msg("tcp2") + msg("tcp3"))) // one write: one segment on lo
		c.Close()
		if u, err := net.Dial("udp", "[::1]:5698"); err == nil {
			u.Write([]byte(msg("v6")))
			u.Close()
		}
	}()
	want := []string{"live-tcp1", "live-tcp2", "live-tcp3", "live-v6"}
	c := &collect{}
	d := NewDecoder(c)
	var got []string
	for deadline := time.Now().Add(5 * time.Second); len(got) < len(want) && time.Now().Before(deadline); {
		f, err := l.Next()
		if errors.Is(err, ErrIdle) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		d.Decode(f)
		got = got[:0]
		for _, m := range c.msgs {
			for _, w := range want {
				if strings.Contains(string(m.Data), "Call-ID: "+w+"\r\n") {
					got = append(got, w)
				}
			}
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("captured %v, want %v", got, want)
	}
}
