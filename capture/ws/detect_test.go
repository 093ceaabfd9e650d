package ws

import (
	"strings"
	"testing"
)

func TestIsHandshake(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		ws, decided bool
	}{
		{"request", upgradeRequest, true, true},
		{"request headers only so far", "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: WebSocket\r\n", true, true},
		{"lower-case header", "GET /ws HTTP/1.1\r\nupgrade: websocket\r\n", true, true},
		{"response", upgradeResponse, true, true},
		{"response start", "HTTP/1.1 101", true, true},
		{"plain GET", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", false, true},
		{"h2c upgrade", "GET / HTTP/1.1\r\nUpgrade: h2c\r\n\r\n", false, true},
		{"incomplete request", "GET / HTTP/1.1\r\nHost: x\r\nUpgr", false, false},
		{"short GET", "GE", false, false},
		{"short HTTP", "HTTP/1.1 1", false, false},
		{"empty", "", false, false},
		{"HTTP 200", "HTTP/1.1 200 OK\r\n", false, true},
		{"POST", "POST / HTTP/1.1\r\n", false, true},
		{"SIP", "INVITE sip:x SIP/2.0\r\n", false, true},
		{"frame", string(text(sipOK)), false, true},
		{"huge header", "GET / HTTP/1.1\r\n" + strings.Repeat("X-A: b\r\n", maxHTTPHeader/8), false, true},
	}
	for _, tt := range tests {
		ws, decided := IsHandshake([]byte(tt.in))
		if ws != tt.ws || decided != tt.decided {
			t.Errorf("%s: IsHandshake = %v, %v; want %v, %v", tt.name, ws, decided, tt.ws, tt.decided)
		}
	}
}

// TestIsHandshakePrefixes checks that a decision taken on a prefix never
// changes when more bytes arrive.
func TestIsHandshakePrefixes(t *testing.T) {
	for _, s := range []string{upgradeRequest, upgradeResponse, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"} {
		full, _ := IsHandshake([]byte(s))
		for i := range len(s) {
			ws, decided := IsHandshake([]byte(s[:i]))
			if decided && ws != full {
				t.Fatalf("%.20q at %d: decided %v, full %v", s, i, ws, full)
			}
		}
	}
}

func TestLooksLikeFrame(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want bool
	}{
		{"masked request", maskedText(sipInvite), true},
		{"unmasked response", text(sipOK), true},
		{"binary", build(frameSpec{op: opBinary, payload: sipOK}), true},
		{"first fragment", build(frameSpec{op: opText, notFin: true, masked: true, key: testKey, payload: "REGISTER sips:x"}), true},
		{"16-bit length", maskedText(sipInvite + strings.Repeat("a", 300)), true},
		{"header and payload start only", maskedText(sipInvite)[:30], true},
		{"header only", maskedText(sipInvite)[:6], false},
		{"keepalive", text("\r\n\r\n"), false},
		{"not SIP", text("hello world, this is not sip"), false},
		{"continuation", build(frameSpec{op: opCont, payload: sipOK}), false},
		{"ping", build(frameSpec{op: opPing, payload: "SIP/2.0 200 OK"}), false},
		{"rsv1", build(frameSpec{op: opText, rsv: 0x40, payload: sipOK}), false},
		{"too long", build(frameSpec{op: opText, rawLen: MaxMessage + 1}), false},
		{"http", []byte(upgradeRequest), false},
		{"one byte", []byte{0x81}, false},
	}
	for _, tt := range tests {
		if got := LooksLikeFrame(tt.in); got != tt.want {
			t.Errorf("%s: LooksLikeFrame = %v, want %v", tt.name, got, tt.want)
		}
	}
}
