package texttrace_test

import (
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/capture/texttrace"
)

type traceCase struct {
	name     string
	in       string
	want     []want
	problems []string // substrings of the problems, in order
}

func runCases(t *testing.T, cases []traceCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			recs, probs, err := texttrace.Parse(strings.NewReader(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != len(tc.want) {
				t.Fatalf("%d records, want %d: %+v", len(recs), len(tc.want), recs)
			}
			for i := range recs {
				checkRecord(t, i, recs[i], tc.want[i])
			}
			if len(probs) != len(tc.problems) {
				t.Fatalf("problems %v, want %q", probs, tc.problems)
			}
			for i, p := range probs {
				if !strings.Contains(p.Reason, tc.problems[i]) {
					t.Errorf("problem %v, want %q", p, tc.problems[i])
				}
			}
		})
	}
}

func TestPJSIP(t *testing.T) {
	full := "[Nov 28 09:49:26] VERBOSE[1234][C-00000001] res_pjsip_logger.c: "
	runCases(t, []traceCase{{
		name: "full log, prefix on the first line only",
		in: "[Nov 28 09:49:25] VERBOSE[1234] pbx.c: unrelated\n" +
			full + "<--- Received SIP request (321 bytes) from UDP:10.0.0.5:5062 --->\n" + register + "\n" +
			full + "<--- Transmitting SIP response (400 bytes) to UDP:10.0.0.5:5062 --->\n" + challenge + "\n",
		want: []want{
			{line: 3, format: "pjsip", data: register, src: "10.0.0.5:5062", time: "1970-11-28T09:49:26Z"},
			{line: 14, format: "pjsip", data: challenge, dst: "10.0.0.5:5062", time: "1970-11-28T09:49:26Z"},
		},
	}, {
		name: "every line prefixed, year from an earlier line, body framed by Content-Length",
		in: "[2026-11-27 23:00:00] NOTICE[1] x.c: start\n" +
			prefixed("[Nov 28 09:49:26] ", "<--- Received SIP request (900 bytes) from TCP:[2001:db8::5]:5060 --->\n"+invite) +
			"[Nov 28 09:49:27] <--- Transmitting SIP response (1 bytes) to TCP:[2001:db8::5]:5060 --->\n" +
			prefixed("[Nov 28 09:49:27] ", proxyAuth),
		want: []want{
			{line: 3, format: "pjsip", data: invite, src: "[2001:db8::5]:5060", dst: "~10.0.0.9:5060",
				transport: capture.TCP, time: "2026-11-28T09:49:26Z"},
			{line: 20, format: "pjsip", data: proxyAuth, src: "~10.0.0.9:5060", dst: "[2001:db8::5]:5060", transport: capture.TCP,
				time: "2026-11-28T09:49:27Z"},
		},
	}, {
		name:     "host name instead of an address",
		in:       "<--- Transmitting SIP request (10 bytes) to UDP:pbx.example.com:5060 --->\n" + register,
		want:     []want{{line: 2, format: "pjsip", data: register, src: "~10.0.0.5:5062"}},
		problems: []string{`"pbx.example.com:5060" is not an IP address`},
	}})
}

func TestChanSIP(t *testing.T) {
	runCases(t, []traceCase{{
		name: "read, reliable transmit, retransmission, keep-alive",
		in: "\n<--- SIP read from UDP:10.0.0.5:5062 --->\n" + register + "\n<------------->\n" +
			"\n<--- Transmitting (no NAT) to 10.0.0.5:5062 --->\n" + challenge + "\n<------------>\n" +
			"\n<--- SIP read from 10.0.0.5:5060 --->\n" + invite + "\n<------------->\n" +
			"\n<--- Reliably Transmitting (NAT) to 10.0.0.5:5060 --->\n" + proxyAuth + "\n<------------>\n" +
			"Retransmitting #1 (NAT) to 10.0.0.5:5060:\n" + proxyAuth + "\n---\n" +
			"\n<--- SIP read from UDP:10.0.0.5:5062 --->\n\r\n\n<------------->\n",
		want: []want{
			{line: 3, format: "chan_sip", data: register, src: "10.0.0.5:5062", dst: "~10.0.0.9:5060"},
			{line: 16, format: "chan_sip", data: challenge, src: "~10.0.0.9:5060", dst: "10.0.0.5:5062"},
			{line: 29, format: "chan_sip", data: invite, src: "10.0.0.5:5060", dst: "~10.0.0.9:5060", transport: capture.TCP},
			{line: 49, format: "chan_sip", data: proxyAuth, src: "~10.0.0.9:5060", dst: "10.0.0.5:5060", transport: capture.TCP},
			{line: 61, format: "chan_sip", data: proxyAuth, src: "~10.0.0.9:5060", dst: "10.0.0.5:5060", transport: capture.TCP},
		},
	}, {
		name:     "a keep-alive that is not SIP",
		in:       "<--- SIP read from UDP:10.0.0.5:5062 --->\njaK\n<------------->\n",
		problems: []string{"chan_sip trace block holds no SIP message"},
	}})
}

func TestFreeSWITCH(t *testing.T) {
	dashes := "   " + strings.Repeat("-", 72) + "\n"
	body := "hello" // a body without a final line end: sofia prints the dashes after it
	msg := sipMsg(body, len(body), "MESSAGE sip:bob@10.0.0.9 SIP/2.0",
		"Via: SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK7", "Call-ID: m1", "CSeq: 5 MESSAGE", "Content-Type: text/plain")
	runCases(t, []traceCase{{
		name: "indented, date from a log line, body restored to CRLF, midnight",
		in: "2026-11-28 23:59:59.500000 [NOTICE] sofia.c:1 Started\n" +
			"recv 900 bytes from tcp/[10.0.0.5]:5060 at 23:59:59.912345:\n" + dashes + indent3(invite) + dashes +
			"send 400 bytes to tcp/[10.0.0.5]:5060 at 00:00:00.000100:\n" + dashes + indent3(proxyAuth) + dashes,
		want: []want{
			{line: 4, format: "freeswitch", data: invite, src: "10.0.0.5:5060", dst: "~10.0.0.9:5060",
				transport: capture.TCP, time: "2026-11-28T23:59:59.912345Z"},
			{line: 23, format: "freeswitch", data: proxyAuth, src: "~10.0.0.9:5060", dst: "10.0.0.5:5060",
				transport: capture.TCP, time: "2026-11-29T00:00:00.0001Z"},
		},
	}, {
		name: "no indent (a copy from a web page), no time, IPv6, body without a final CRLF",
		in: "send 200 bytes to udp/[2001:db8::9]:5060:\n" + strings.TrimLeft(dashes, " ") +
			strings.TrimSuffix(lf(msg), "\n") + strings.TrimLeft(dashes, " ") +
			"recv 200 bytes to udp/[10.0.0.5]:5062 at 10:00:00.000001:\n", // "to" after recv: not a header
		want: []want{{line: 3, format: "freeswitch", data: msg, src: "~10.0.0.5:5062", dst: "[2001:db8::9]:5060"}},
	}, {
		name: "the dashes follow the last body line on the same line",
		in: "send 200 bytes to udp/[10.0.0.9]:5060 at 10:00:00.25:\n" + dashes +
			strings.TrimSuffix(indent3(msg), "\n") + dashes,
		want: []want{{line: 3, format: "freeswitch", data: msg, src: "~10.0.0.5:5062", dst: "10.0.0.9:5060",
			time: "1970-01-01T10:00:00.25Z"}},
	}})
}

func TestSipdump(t *testing.T) {
	entry := func(tag, src, sport, dst, dport, msg string) string {
		return "====================\ntag: " + tag + "\npid: 7544\nprocess: 1\ntime: 1795864748.318168\n" +
			"date: Sat Nov 28 11:19:08 2026\nproto: udp ipv4\nsrcip: " + src + "\nsrcport: " + sport +
			"\ndstip: " + dst + "\ndstport: " + dport + "\n~~~~~~~~~~~~~~~~~~~~\n" + msg + "||||||||||||||||||||\n"
	}
	body := "no final line end"
	msg := sipMsg(body, len(body), "MESSAGE sip:bob@example.com SIP/2.0",
		"Via: SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK7", "Call-ID: m1", "CSeq: 5 MESSAGE", "Content-Type: text/plain")
	runCases(t, []traceCase{{
		name: "entries, IPv6, a body that runs into the closing line",
		in:   entry("rcv", "10.0.0.5", "5062", "10.0.0.1", "5060", register) + entry("snd", "2001:db8::1", "5060", "2001:db8::5", "5062", msg),
		want: []want{
			{line: 13, format: "sipdump", data: register, src: "10.0.0.5:5062", dst: "10.0.0.1:5060", time: "2026-11-28T11:19:08.318168Z"},
			{line: 35, format: "sipdump", data: msg, src: "[2001:db8::1]:5060", dst: "[2001:db8::5]:5062", time: "2026-11-28T11:19:08.318168Z"},
		},
	}, {
		name:     "an entry cut short",
		in:       "====================\ntag: rcv\nsomething else\n",
		problems: []string{"sipdump entry without"},
	}})
}

func TestBaresipAndSngrep(t *testing.T) {
	runCases(t, []traceCase{{
		name: "baresip 1.0 and newer (time before the #), colours",
		in: "baresip is ready.\n\x1b[36;1m#\nUDP 10.0.0.5:5062 -> 10.0.0.1:5060\n" + register + "\x1b[;m\n" +
			"\x1b[36;1m12:00:01.250#\nTCP [2001:db8::5]:5060 -> [2001:db8::9]:5060\n" + invite + "\x1b[;m\n",
		want: []want{
			{line: 4, format: "baresip", data: register, src: "10.0.0.5:5062", dst: "10.0.0.1:5060"},
			{line: 16, format: "baresip", data: invite, src: "[2001:db8::5]:5060", dst: "[2001:db8::9]:5060",
				transport: capture.TCP, time: "1970-01-01T12:00:01.25Z"},
		},
	}, {
		name: "sngrep",
		in: "2026/11/28 10:47:23.429793 10.0.0.5:5062 -> 10.0.0.1:5060\n" + register + "\n\n" +
			"2026/11/28 10:47:23.545734 10.0.0.5:5060 -> 10.0.0.9:5060\n" + invite + "\n\n",
		want: []want{
			{line: 2, format: "sngrep", data: register, src: "10.0.0.5:5062", dst: "10.0.0.1:5060", time: "2026-11-28T10:47:23.429793Z"},
			{line: 14, format: "sngrep", data: invite, src: "10.0.0.5:5060", dst: "10.0.0.9:5060",
				transport: capture.TCP, time: "2026-11-28T10:47:23.545734Z"},
		},
	}})
}
