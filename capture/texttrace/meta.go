package texttrace

import (
	"net/netip"

	"github.com/sipdbg/sipdbg/capture"
)

// Format names, as Record.Format and Detect report them.
const (
	FormatPJSIP      = "pjsip"
	FormatChanSIP    = "chan_sip"
	FormatFreeSWITCH = "freeswitch"
	FormatSipdump    = "sipdump"
	FormatBaresip    = "baresip"
	FormatSngrep     = "sngrep"
	FormatPlain      = "plain"
)

// endKind names the line that closes a trace block, if its format has one.
type endKind uint8

const (
	endNone     endKind = iota
	endChanSIP          // "<------------->" / "<------------>"
	endChanRetx         // "---" after a chan_sip retransmission
	endDashes           // FreeSWITCH's line of 72 dashes
	endSipdump          // "||||||||||||||||||||"
)

// meta is what a trace says about the message that follows it.
type meta struct {
	format    string
	src, dst  netip.AddrPort
	transport capture.Transport // 0 when the trace does not say
	ts        stamp
	end       endKind
	indent    bool // FreeSWITCH: message lines are indented by three spaces
	opened    bool // FreeSWITCH: the dashes before the message were seen
	// badAddr is set when the trace printed an address that is not an IP
	// address and port (a host name, garbage).
	badAddr string
}

// setAddr stores a printed address as src or dst; a host name leaves it
// unknown and is remembered for a Problem.
func (m *meta) setAddr(b []byte, isSrc bool) {
	ap, ok := parseHostPort(b)
	if !ok {
		m.badAddr = string(b)
		return
	}
	if isSrc {
		m.src = ap
	} else {
		m.dst = ap
	}
}

// setTransport stores a printed transport name.
func (m *meta) setTransport(b []byte) {
	if t, ok := parseTransport(b); ok {
		m.transport = t
	}
}

// traceHeader recognises the line that introduces a message in one of
// the trace formats. sipdump's multi-line header is handled by the
// parser's sipdump state.
func traceHeader(b []byte) (meta, bool) {
	if len(b) < 12 {
		return meta{}, false
	}
	switch b[0] {
	case '<':
		if m, ok := pjsipHeader(b); ok {
			return m, true
		}
		return chanSIPHeader(b)
	case 'R':
		return chanSIPRetx(b)
	case 'r', 's':
		return freeswitchHeader(b)
	case 'U', 'T', 'W', 'S':
		return baresipHeader(b)
	}
	if isDigit(b[0]) {
		return sngrepHeader(b)
	}
	return meta{}, false
}
