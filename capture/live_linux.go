//go:build linux

package capture

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gopacket/gopacket/afpacket"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// Live captures from a network interface with AF_PACKET (no libpcap, no
// cgo). Packets are taken at the network layer (SOCK_DGRAM), the way
// "tcpdump -i any" cooks them, so that every interface type reads alike:
// frames are raw IP.
type Live struct {
	tp     *afpacket.TPacket
	name   string
	num    int
	closed chan struct{}
	mu     sync.Mutex // guards tp against Drops from another goroutine
	drops  uint64     // counted before the socket was released
	start  time.Time  // when the filter was attached
}

// OpenLive opens iface ("any" for all) with an optional BPF program
// compiled for LiveLinkType.
func OpenLive(iface string, prog []bpf.Instruction) (*Live, error) {
	opts := []interface{}{afpacket.SocketDgram, afpacket.OptPollTimeout(100 * time.Millisecond),
		afpacket.OptBlockSize(liveBlockSize), afpacket.OptNumBlocks(liveBlocks)}
	if iface != "any" && iface != "" {
		opts = append(opts, afpacket.OptInterface(iface))
	}
	tp, err := afpacket.NewTPacket(opts...)
	if err != nil {
		return nil, liveError(iface, err)
	}
	if len(prog) == 0 {
		prog = ipOnly
	}
	raw, err := bpf.Assemble(append(loopbackOnce(), prog...))
	if err == nil {
		err = tp.SetBPF(raw)
	}
	if err != nil {
		tp.Close()
		return nil, fmt.Errorf("capture filter on %s: %v", iface, err)
	}
	// The socket is bound (and its ring filling) before the filter is
	// attached: what it caught in between passed no filter, not even the
	// loopback prologue. Frames stamped before now are skipped.
	return &Live{tp: tp, name: iface, closed: make(chan struct{}), start: time.Now()}, nil
}

// The capture ring: 64 blocks of 512 KiB, 32 MiB mapped from the kernel
// for the session's life. It is memory of the process, outside the Go
// heap: a session's --memory budget counts it (RingBytes).
const (
	liveBlockSize = afpacket.DefaultBlockSize
	liveBlocks    = 64
)

// RingBytes is the memory the capture ring holds.
func (l *Live) RingBytes() int64 { return liveBlockSize * liveBlocks }

// ipOnly keeps IPv4 and IPv6 packets: with no filter given, ARP, LLDP
// and the like never reach user space (nor the undecodable list).
var ipOnly = []bpf.Instruction{
	bpf.LoadAbsolute{Off: 0, Size: 1},
	bpf.ALUOpConstant{Op: bpf.ALUOpAnd, Val: 0xf0},
	bpf.JumpIf{Cond: bpf.JumpEqual, Val: 0x40, SkipTrue: 2},
	bpf.JumpIf{Cond: bpf.JumpEqual, Val: 0x60, SkipTrue: 1},
	bpf.RetConstant{Val: 0},
	bpf.RetConstant{Val: 262144},
}

// loopbackOnce is a prologue that drops the outgoing copy of packets on
// the loopback interface, which AF_PACKET shows twice (out, then in), as
// libpcap does. It reads the packet type and interface index with
// Linux's BPF extensions.
func loopbackOnce() []bpf.Instruction {
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		return nil
	}
	const outgoing = 4 // PACKET_OUTGOING, linux/if_packet.h
	return []bpf.Instruction{
		bpf.LoadExtension{Num: bpf.ExtType},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: outgoing, SkipFalse: 3},
		bpf.LoadExtension{Num: bpf.ExtInterfaceIndex},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: uint32(lo.Index), SkipFalse: 1},
		bpf.RetConstant{Val: 0},
	}
}

// liveError says what stops a capture, and how to grant the right.
func liveError(iface string, err error) error {
	if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
		exe, _ := os.Executable()
		return fmt.Errorf("capturing on %s needs root or CAP_NET_RAW: run as root, or grant it once with: sudo setcap cap_net_raw,cap_net_admin=eip %s", iface, exe)
	}
	if errors.Is(err, unix.ENODEV) || errors.Is(err, unix.ENXIO) || strings.Contains(err.Error(), "no such network interface") {
		return fmt.Errorf("no network interface %q (see ip link)", iface)
	}
	return fmt.Errorf("capturing on %s: %v", iface, err)
}

// Next returns the next packet; ErrIdle after a quiet moment; io.EOF
// once closed. The socket is released here, by the reading goroutine:
// unmapping its ring under a concurrent read would crash.
func (l *Live) Next() (Frame, error) {
	select {
	case <-l.closed:
		l.mu.Lock()
		if l.tp != nil {
			l.drops = l.kernelDrops()
			l.tp.Close()
			l.tp = nil
		}
		l.mu.Unlock()
		return Frame{}, io.EOF
	default:
	}
	data, ci, err := l.tp.ZeroCopyReadPacketData()
	for err == nil && ci.Timestamp.Before(l.start) {
		data, ci, err = l.tp.ZeroCopyReadPacketData() // caught before the filter was on
	}
	switch {
	case errors.Is(err, afpacket.ErrTimeout), errors.Is(err, afpacket.ErrPoll):
		return Frame{}, ErrIdle
	case err != nil:
		return Frame{}, fmt.Errorf("capturing on %s: %w", l.name, err)
	}
	l.num++
	return Frame{Num: l.num, Time: ci.Timestamp, Link: LiveLinkType, Data: data}, nil
}

// Drops returns the packets the kernel dropped because sipdbg did not
// read them fast enough (PACKET_STATISTICS): never silent.
func (l *Live) Drops() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tp == nil {
		return l.drops
	}
	return l.kernelDrops()
}

func (l *Live) kernelDrops() uint64 {
	s1, s3, err := l.tp.SocketStats()
	if err != nil {
		return l.drops
	}
	return uint64(s1.Drops()) + uint64(s3.Drops())
}

// Progress is unknown for a live source.
func (l *Live) Progress() (int64, int64) { return 0, -1 }

// Name is the interface.
func (l *Live) Name() string { return "interface " + l.name }

// Close stops the capture: the next call to Next (within the 100 ms
// poll timeout) releases the socket and returns io.EOF.
func (l *Live) Close() error {
	select {
	case <-l.closed:
	default:
		close(l.closed)
	}
	return nil
}
