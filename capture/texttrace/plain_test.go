package texttrace_test

import (
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/capture"
)

func TestPlain(t *testing.T) {
	noCL := sipMsg("text body\r\n", -1, "MESSAGE sip:bob@10.0.0.9:5070 SIP/2.0",
		"v: SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK9", "i: m9", "CSeq: 9 MESSAGE", "c: text/plain")
	bare := sipMsg("", -1, "OPTIONS sip:10.0.0.9 SIP/2.0", "Via: SIP/2.0/TLS 10.0.0.5;branch=z9hG4bK8", "Call-ID: o1", "CSeq: 1 OPTIONS")
	runCases(t, []traceCase{{
		name: "LF only: CRLF put back where Content-Length proves it; responses paired with requests",
		in:   "The phone's log:\n\n" + lf(register) + "\n" + lf(challenge) + "\nthen:\n" + lf(invite) + "\n" + lf(proxyAuth),
		want: []want{
			{line: 3, format: "plain", data: register, src: "~10.0.0.5:5062"},
			{line: 13, format: "plain", data: challenge, dst: "~10.0.0.5:5062"},
			{line: 24, format: "plain", data: invite, src: "~10.0.0.5:5060", dst: "~10.0.0.9:5060", transport: capture.TCP},
			{line: 41, format: "plain", data: proxyAuth, src: "~10.0.0.9:5060", dst: "~10.0.0.5:5060", transport: capture.TCP},
		},
	}, {
		name: "no Content-Length: a body needs a Content-Type and ends at the next message",
		in:   noCL + "\r\n\r\n" + bare + register,
		want: []want{
			{line: 1, format: "plain", data: noCL, src: "~10.0.0.5:5062", dst: "~10.0.0.9:5070"},
			{line: 10, format: "plain", data: bare, src: "~10.0.0.5:5061", dst: "~10.0.0.9:5060", transport: capture.TLS},
			{line: 15, format: "plain", data: register, src: "~10.0.0.5:5062"},
		},
	}, {
		name: "prose that quotes a request line is not a message",
		in:   "We sent\nINVITE sip:bob@example.com SIP/2.0\nand nothing came back.\nREGISTER sip:x SIP/2.0\n\n",
	}, {
		name:     "headers cut by prose",
		in:       strings.TrimSuffix(register, "Content-Length: 0\r\n\r\n") + "and then it stopped\n",
		want:     []want{{line: 1, format: "plain", data: strings.TrimSuffix(register, "Content-Length: 0\r\n\r\n") + "\r\n", src: "~10.0.0.5:5062"}},
		problems: []string{"the headers do not end with an empty line"},
	}, {
		name:     "body shorter than Content-Length",
		in:       invite[:len(invite)-20],
		want:     []want{{line: 1, format: "plain", data: invite[:len(invite)-20], src: "~10.0.0.5:5060", dst: "~10.0.0.9:5060", transport: capture.TCP}},
		problems: []string{"Content-Length says 85: the message is cut short"},
	}})
}

func TestBodyFraming(t *testing.T) {
	frag := "--b\r\nContent-Type: message/sipfrag\r\n\r\nSIP/2.0 200 OK\r\n--b--\r\n"
	notify := sipMsg(frag, len(frag), "NOTIFY sip:alice@10.0.0.5:5062 SIP/2.0",
		"Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bK5", "Call-ID: n1", "CSeq: 2 NOTIFY",
		"Content-Type: multipart/mixed;boundary=b")
	short := strings.Replace(invite, "Content-Length: 85", "Content-Length: 500", 1)
	runCases(t, []traceCase{{
		name: "a SIP message inside a body, after an empty line, in a trace format",
		in:   "2026/11/28 10:47:23.5 10.0.0.9:5060 -> 10.0.0.5:5062\n" + notify + "\n\n",
		want: []want{{line: 2, format: "sngrep", data: notify, src: "10.0.0.9:5060", dst: "10.0.0.5:5062",
			time: "2026-11-28T10:47:23.5Z"}},
	}, {
		name: "pasted: Content-Length too large, the next message still starts",
		in:   short + "\r\n" + register,
		want: []want{
			{line: 1, format: "plain", data: short, src: "~10.0.0.5:5060", dst: "~10.0.0.9:5060", transport: capture.TCP},
			{line: 18, format: "plain", data: register, src: "~10.0.0.5:5062"},
		},
		problems: []string{"Content-Length says 500: the message is cut short"},
	}})
}

func TestDirty(t *testing.T) {
	syslog := "Nov 28 09:49:26 pbx asterisk[2101]: "
	runCases(t, []traceCase{{
		name: "syslog prefixes, ANSI colours, unrelated lines, LF and CRLF",
		in: "2026-11-28T09:49:00.000+01:00 sbc kamailio[1]: INFO: started\n" +
			"\x1b[32m 12(2110) NOTICE: <script>: hello\x1b[0m\n" +
			prefixed(syslog, "\x1b[1;35m<--- Received SIP request (1 bytes) from UDP:10.0.0.5:5062 --->\x1b[0m\n"+register) +
			"Nov 28 09:49:26 pbx kernel: [123.456] eth0: link up\n" +
			prefixed(syslog, lf("<--- Transmitting SIP response (1 bytes) to UDP:10.0.0.5:5062 --->\n"+challenge)) +
			"<--- \n<--- Received SIP request (x bytes) from UDP:1.2.3.4:5 --->\n",
		want: []want{
			{line: 4, format: "pjsip", data: register, src: "10.0.0.5:5062", time: "2026-11-28T09:49:26Z"},
			{line: 15, format: "pjsip", data: challenge, dst: "10.0.0.5:5062", time: "2026-11-28T09:49:26Z"},
		},
	}, {
		name: "a log line of another kind ends a message without Content-Length",
		in: "<--- Received SIP request (1 bytes) from UDP:10.0.0.5:5062 --->\n" +
			strings.TrimSuffix(register, "Content-Length: 0\r\n\r\n") +
			"[Nov 28 09:49:26] VERBOSE[1] pbx.c: something\n",
		want: []want{{line: 2, format: "pjsip", data: strings.TrimSuffix(register, "Content-Length: 0\r\n\r\n") + "\r\n",
			src: "10.0.0.5:5062"}},
		problems: []string{"the headers do not end with an empty line"},
	}})
}

func TestLimits(t *testing.T) {
	huge := strings.Repeat("x", 1<<20)
	body := huge[:len(huge)-10] + "\r\n" // one line under the line limit, a message over the message limit
	big := sipMsg(body, len(body), "MESSAGE sip:bob@10.0.0.9 SIP/2.0", "Via: SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK1", "Call-ID: big", "CSeq: 1 MESSAGE", "Content-Type: text/plain")
	runCases(t, []traceCase{{
		name:     "a message over 1 MiB is skipped, the next one is found",
		in:       big + register,
		want:     []want{{line: 9, format: "plain", data: register, src: "~10.0.0.5:5062"}},
		problems: []string{"message longer than"},
	}, {
		name:     "a line over 1 MiB is cut",
		in:       "x" + huge + "\n" + register,
		want:     []want{{line: 2, format: "plain", data: register, src: "~10.0.0.5:5062"}},
		problems: []string{"line longer than"},
	}})
}
