package ws

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

// result is what a Reader produced from a stream.
type result struct {
	msgs     []string
	err      error
	closed   bool
	buffered int
}

// run feeds chunks in order, stopping at the first error as a caller
// that drops the connection would.
func run(chunks [][]byte) result {
	var r Reader
	var res result
	emit := func(p []byte) { res.msgs = append(res.msgs, string(p)) }
	for _, c := range chunks {
		if res.err = r.Feed(c, emit); res.err != nil {
			break
		}
	}
	res.closed, res.buffered = r.Closed(), r.Buffered()
	return res
}

func same(a, b result) bool {
	return strings.Join(a.msgs, "\x00") == strings.Join(b.msgs, "\x00") && len(a.msgs) == len(b.msgs) &&
		(a.err == nil) == (b.err == nil) && a.closed == b.closed && a.buffered == b.buffered &&
		(a.err == nil || a.err.Error() == b.err.Error())
}

type feedCase struct {
	name   string
	in     []byte
	want   []string
	closed bool
	err    error  // kind, nil for success
	msg    string // substring of the error message
}

func feedCases() []feedCase {
	big := strings.Repeat("x", 70000)
	ping := build(frameSpec{op: opPing, masked: true, key: testKey, payload: "hb"})
	frag := cat(
		build(frameSpec{op: opText, notFin: true, masked: true, key: testKey, payload: "INVITE sip:a"}),
		ping,
		build(frameSpec{op: opCont, notFin: true, masked: true, key: [4]byte{1, 2, 3, 4}, payload: "@b SIP/2.0"}),
		build(frameSpec{op: opPong}),
		build(frameSpec{op: opCont, masked: true, key: [4]byte{9, 8, 7, 6}, payload: "\r\n\r\n"}),
	)
	return []feedCase{
		{name: "unmasked text", in: text(sipOK), want: []string{sipOK}},
		{name: "masked text", in: maskedText(sipInvite), want: []string{sipInvite}},
		{name: "binary", in: build(frameSpec{op: opBinary, payload: sipOK}), want: []string{sipOK}},
		{name: "16-bit length", in: maskedText(sipInvite + strings.Repeat("a", 200)), want: []string{sipInvite + strings.Repeat("a", 200)}},
		{name: "forced 16-bit short", in: build(frameSpec{op: opText, width: 16, payload: "hi"}), want: []string{"hi"}},
		{name: "64-bit length", in: build(frameSpec{op: opText, masked: true, key: testKey, payload: big}), want: []string{big}},
		{name: "empty message", in: text(""), want: []string{""}},
		{name: "many frames", in: cat(maskedText(sipInvite), text(sipOK), maskedText("x")), want: []string{sipInvite, sipOK, "x"}},
		{name: "fragmented with ping", in: frag, want: []string{"INVITE sip:a@b SIP/2.0\r\n\r\n"}},
		{name: "handshake request", in: cat([]byte(upgradeRequest), maskedText(sipInvite)), want: []string{sipInvite}},
		{name: "handshake response", in: cat([]byte(upgradeResponse), text(sipOK), text(sipOK)), want: []string{sipOK, sipOK}},
		{name: "handshake bare LF", in: cat([]byte("GET / HTTP/1.1\nUpgrade: websocket\n\n"), text("a")), want: []string{"a"}},
		{name: "close", in: cat(text("a"), build(frameSpec{op: opClose, payload: "\x03\xe8"})), want: []string{"a"}, closed: true},
		{name: "reserved opcode", in: cat(text("a"), build(frameSpec{op: 0x3, payload: "x"})), want: []string{"a"},
			err: ErrProtocol, msg: "ws: reserved opcode 0x3"},
		{name: "reserved control opcode", in: build(frameSpec{op: 0xB}), err: ErrProtocol, msg: "opcode 0xb"},
		{name: "control too long", in: build(frameSpec{op: opPing, payload: strings.Repeat("p", 126)}), err: ErrProtocol,
			msg: "ws: control frame opcode 0x9 payload length 126 over 125"},
		{name: "fragmented control", in: build(frameSpec{op: opPing, notFin: true}), err: ErrProtocol, msg: "fragmented control"},
		{name: "continuation without start", in: build(frameSpec{op: opCont, payload: "x"}), err: ErrProtocol, msg: "no message to continue"},
		{name: "new message inside fragmented", in: cat(build(frameSpec{op: opText, notFin: true, payload: "a"}), text("b")),
			err: ErrProtocol, msg: "new data frame opcode 0x1"},
		{name: "64-bit high bit", in: build(frameSpec{op: opText, rawLen: 1 << 63}), err: ErrProtocol, msg: "most significant bit"},
		{name: "frame over limit", in: build(frameSpec{op: opBinary, rawLen: MaxMessage + 1}), err: ErrTooLarge, msg: "1048577"},
		{name: "fragments over limit", in: cat(
			build(frameSpec{op: opText, notFin: true, payload: strings.Repeat("a", MaxMessage)}),
			build(frameSpec{op: opCont, payload: "b"})), err: ErrTooLarge, msg: "over the 1048576-byte limit"},
		{name: "rsv1 (permessage-deflate)", in: build(frameSpec{op: opText, rsv: 0x40, payload: "x"}), err: ErrProtocol, msg: "RSV bits 0x40"},
		{name: "endless handshake", in: []byte("GET /" + strings.Repeat("a", maxHTTPHeader)), err: ErrProtocol, msg: "handshake header block"},
	}
}

func TestFeed(t *testing.T) {
	for _, tt := range feedCases() {
		t.Run(tt.name, func(t *testing.T) {
			got := run([][]byte{tt.in})
			if strings.Join(got.msgs, "\x00") != strings.Join(tt.want, "\x00") || len(got.msgs) != len(tt.want) {
				t.Errorf("messages = %.60q, want %.60q", got.msgs, tt.want)
			}
			if got.closed != tt.closed {
				t.Errorf("closed = %v", got.closed)
			}
			if tt.err == nil && got.err != nil || tt.err != nil && !errors.Is(got.err, tt.err) {
				t.Fatalf("err = %v, want %v", got.err, tt.err)
			}
			if got.err != nil && !strings.Contains(got.err.Error(), tt.msg) {
				t.Errorf("err = %q, want it to contain %q", got.err, tt.msg)
			}
			if got.buffered != 0 {
				t.Errorf("Buffered = %d after a whole stream", got.buffered)
			}
		})
	}
}

// TestFeedSplits feeds every case byte by byte, split at every boundary,
// and in random chunks: the output must not depend on how bytes arrive.
func TestFeedSplits(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tt := range feedCases() {
		want := run([][]byte{tt.in})
		if len(tt.in) <= 4096 {
			if got := run(chunk(tt.in, 1)); !same(got, want) {
				t.Errorf("%s: byte by byte %+v, want %+v", tt.name, got, want)
			}
			for i := 1; i < len(tt.in); i++ {
				if got := run([][]byte{tt.in[:i], tt.in[i:]}); !same(got, want) {
					t.Fatalf("%s: split at %d: %+v, want %+v", tt.name, i, got, want)
				}
			}
		}
		for range 20 {
			if got := run(randomChunks(rng, tt.in)); !same(got, want) {
				t.Fatalf("%s: random chunks: %+v, want %+v", tt.name, got, want)
			}
		}
	}
}

func chunk(b []byte, n int) [][]byte {
	var out [][]byte
	for len(b) > n {
		out = append(out, b[:n])
		b = b[n:]
	}
	return append(out, b)
}

func randomChunks(rng *rand.Rand, b []byte) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		n := min(1+rng.IntN(max(len(b)/3, 8)), len(b))
		out = append(out, b[:n])
		b = b[n:]
	}
	return out
}

func TestFeedKeepsInput(t *testing.T) {
	in := cat(maskedText(sipInvite), maskedText(sipOK))
	orig := bytes.Clone(in)
	var r Reader
	if err := r.Feed(in, func([]byte) {}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(in, orig) {
		t.Fatal("Feed modified its input")
	}
}

func TestFeedZeroCopy(t *testing.T) {
	in := text(sipOK)
	var r Reader
	var got []byte
	r.Feed(in, func(p []byte) { got = p })
	if &got[0] != &in[2] {
		t.Error("an unmasked whole frame was copied")
	}
}

func TestResetAndBuffered(t *testing.T) {
	var r Reader
	f := maskedText(sipInvite)
	r.Feed(f[:10], func([]byte) {})
	if r.Buffered() != 10 {
		t.Errorf("Buffered = %d, want 10", r.Buffered())
	}
	r.Reset()
	if r.Buffered() != 0 {
		t.Errorf("Buffered after Reset = %d", r.Buffered())
	}
	var got []string
	if err := r.Feed(text(sipOK), func(p []byte) { got = append(got, string(p)) }); err != nil || len(got) != 1 {
		t.Errorf("after Reset: %v %q", err, got)
	}
	// After Reset the stream is mid-way: a "GET " is not a handshake.
	if err := r.Feed([]byte(upgradeRequest), func([]byte) {}); err == nil {
		t.Error("handshake accepted after Reset")
	}
}
