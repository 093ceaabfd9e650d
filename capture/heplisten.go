package capture

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/sipdbg/sipdbg/capture/hep"
)

// HEPListener receives HEP v2/v3 packets, as Kamailio's siptrace,
// OpenSIPS, heplify or FreeSWITCH send them, over UDP and TCP on one
// address. Each packet becomes a frame of link type LinkTypeHEP; the
// decoder shows the SIP inside with the agent's addresses and times.
type HEPListener struct {
	udp    net.PacketConn
	tcp    net.Listener
	frames chan Frame
	done   chan struct{}
	once   sync.Once
	num    int
	wg     sync.WaitGroup
	addr   string
	// password, when set, is the auth key (HEP3 chunk 14) a packet must
	// carry; the others are refused and counted, never shown.
	password string
	refused  atomic.Uint64
	conns    atomic.Int64  // TCP connections open
	turned   atomic.Uint64 // TCP connections turned away past maxHEPConns
	// closedDrops is the socket's drop count when it was closed.
	closedDrops atomic.Uint64
	// drops caches the socket's drop count: the pipeline asks after each
	// batch, and reading /proc/net/udp that often is work for nothing.
	dropsMu sync.Mutex
	dropsAt time.Time
	drops   uint64
}

// maxHEPConns bounds the TCP connections a listener keeps: each costs its
// buffers and goroutines, and a capture agent needs one (a few for a
// cluster). Past it a connection is closed at once, and counted.
const maxHEPConns = 256

// ListenHEP listens on addr (":9060") for UDP and TCP.
func ListenHEP(addr string) (*HEPListener, error) { return ListenHEPAuth(addr, "") }

// ListenHEPAuth is ListenHEP that accepts only the packets whose auth key
// is password (heplify's -hp, OpenSIPS's hep auth). HEP v1/v2 carry no
// key, so with a password only HEP3 passes.
func ListenHEPAuth(addr, password string) (*HEPListener, error) {
	u, t, err := listenBoth(addr)
	if err != nil {
		return nil, err
	}
	l := &HEPListener{udp: u, tcp: t, frames: make(chan Frame, 4096), done: make(chan struct{}), addr: u.LocalAddr().String(), password: password}
	l.wg.Add(2)
	go l.readUDP()
	go l.acceptTCP()
	return l, nil
}

// listenBoth opens UDP and TCP on one address. With port 0 the kernel
// picks the UDP port, and that port may already be taken for TCP by
// another socket: then another port is tried, a few times.
func listenBoth(addr string) (net.PacketConn, net.Listener, error) {
	_, port, _ := net.SplitHostPort(addr)
	for try := 0; ; try++ {
		u, err := net.ListenPacket("udp", addr)
		if err != nil {
			return nil, nil, err
		}
		t, err := net.Listen("tcp", u.LocalAddr().String())
		if err == nil {
			return u, t, nil
		}
		u.Close()
		if (port != "0" && port != "") || try == 20 || !errors.Is(err, syscall.EADDRINUSE) {
			return nil, nil, err
		}
	}
}

// Addr is the address listened on (useful with port 0).
func (l *HEPListener) Addr() string { return l.addr }

func (l *HEPListener) push(b []byte) {
	if l.password != "" {
		if p, _, err := hep.Decode(b); err != nil || p.AuthKey != l.password {
			l.refused.Add(1)
			return
		}
	}
	select {
	case l.frames <- Frame{Time: time.Now(), Link: LinkTypeHEP, Data: append([]byte(nil), b...)}:
	case <-l.done:
	}
}

func (l *HEPListener) readUDP() {
	defer l.wg.Done()
	buf := make([]byte, 65536)
	for {
		n, _, err := l.udp.ReadFrom(buf)
		if err != nil {
			return
		}
		l.push(buf[:n])
	}
}

func (l *HEPListener) acceptTCP() {
	defer l.wg.Done()
	for {
		c, err := l.tcp.Accept()
		if err != nil {
			return
		}
		if l.conns.Load() >= maxHEPConns {
			l.turned.Add(1)
			c.Close()
			continue
		}
		l.conns.Add(1)
		l.wg.Add(1)
		go l.readTCP(c)
	}
}

// readTCP splits a connection's stream into HEP packets by their length
// field; a stream that loses its framing is closed.
func (l *HEPListener) readTCP(c net.Conn) {
	defer l.wg.Done()
	defer l.conns.Add(-1)
	defer c.Close()
	stop := make(chan struct{})
	defer close(stop)
	go func() { // the listener's end closes the connection; its own end ends this
		select {
		case <-l.done:
			c.Close()
		case <-stop:
		}
	}()
	var buf []byte
	chunk := make([]byte, 8192) // an idle agent costs little; buf grows to a packet
	for {
		n, err := c.Read(chunk)
		buf = append(buf, chunk[:n]...)
		for {
			k := hep.Need(buf)
			if k < 0 || k > 1<<20 {
				return
			}
			if k == 0 || len(buf) < k {
				break
			}
			l.push(buf[:k])
			buf = buf[k:]
		}
		if err != nil {
			return
		}
	}
}

// Drops counts the UDP datagrams the kernel dropped for the listener's
// socket (its receive buffer full: a flood), as a live interface counts
// its drops; with the TCP connections turned away past maxHEPConns.
func (l *HEPListener) Drops() uint64 {
	select {
	case <-l.done:
		return l.closedDrops.Load() + l.turned.Load()
	default:
	}
	l.dropsMu.Lock()
	if time.Since(l.dropsAt) > 250*time.Millisecond {
		l.drops, _ = udpDrops(l.udp.LocalAddr())
		l.dropsAt = time.Now()
	}
	n := l.drops
	l.dropsMu.Unlock()
	return max(n, l.closedDrops.Load()) + l.turned.Load()
}

// Next returns the next HEP packet; ErrIdle after a quiet moment.
func (l *HEPListener) Next() (Frame, error) {
	select {
	case f := <-l.frames:
		l.num++
		f.Num = l.num
		return f, nil
	case <-l.done:
		return Frame{}, io.EOF
	case <-time.After(100 * time.Millisecond):
		return Frame{}, ErrIdle
	}
}

// Refused counts the packets turned away for a wrong or missing password.
func (l *HEPListener) Refused() uint64 { return l.refused.Load() }

// Progress is unknown for a listener.
func (l *HEPListener) Progress() (int64, int64) { return 0, -1 }

// Name says where it listens.
func (l *HEPListener) Name() string { return "HEP " + l.addr }

// Close stops listening.
func (l *HEPListener) Close() error {
	l.once.Do(func() {
		// The kernel forgets a socket's drops with the socket: the
		// totals printed after the end need them kept.
		n, _ := udpDrops(l.udp.LocalAddr())
		l.closedDrops.Store(n)
		close(l.done)
		l.udp.Close()
		l.tcp.Close()
	})
	l.wg.Wait()
	return nil
}
