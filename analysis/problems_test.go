package analysis_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/testkit/authlab"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

// problems lists every warning and error the analysis raises on the
// public captures of ../shared/pcaps (counted with repeats), each with
// the reason it is true, read from the packets. A capture not listed
// must raise none. A new warning or error on these captures fails the
// test until it is read against the packets and listed here, or fixed.
var problems = map[string][]problem{
	"PcapPlusPlus__sip_resp.pcap": {
		{"call-rejected", 2, "only responses: a 504 Server Timeout and a 503 (Retry-After: 0) to REGISTERs, from 10.129.34.51"},
	},
	"gprshome-wireshark__sip.pcap": {
		{"media-jitter", 2, "the stream 192.168.1.105:7902 → 192.168.1.104:51412 stalls again and again for 1 to 2.5 s (e.g. 398.0 → 400.5 s, 400.5 → 402.4 s) with consecutive sequence numbers and timestamps: packets held and delivered in bursts (a GPRS link), tshark's max jitter 158.2 ms; one finding on each of the two calls whose SDP names those addresses"},
	},
	"hep-wireshark__hep.pcap": {
		{"ack-missing", 1, "INVITE → 100 → 407 (same branch, Via rewritten by the agent); the client sends OPTIONS and PUBLISH after it but no ACK"},
		{"no-credentials-sent", 1, "and no INVITE with Proxy-Authorization either, though the client goes on in the call"},
	},
	"heplify__erspan_sip_ipv4_udp.pcapng": {
		{"call-rejected", 5, "the REFER (a transfer) refused 488 'Transfer impossible: No call handling ressources' by the OmniPCX (192.168.1.191) and relayed by the SBC on its other leg, with its own CSeq and address and the PBX's User-Agent (frames 116-119, within 3 ms): one error naming the PBX; and a warning for each of four SUBSCRIBE refreshes refused 481 by the SBC (messages 12, 30, 74, 140): the subscriptions are lost"},
		{"no-credentials-sent", 1, "the phone side of the SBC (192.168.1.222) answers the PBX's in-dialog NOTIFY with 401 realm=\"\"; the PBX never answers it in the 5 s the capture goes on"},
	},
	"heplify__FAX-Call-t38-CA-TDM-SIP-FB-1.pcap": {
		{"sdp-no-common-codec", 2, "on two legs, the re-INVITE (CSeq 3) offering only T.38 (m=image udptl t38) is answered 488 Not Acceptable Here: the switch to fax is refused, the calls stay on audio"},
	},
	"heplify__ipip0.pcap": {
		{"call-rejected", 1, "a 403 Forbidden to an INVITE from 179.43.150.26 (only the response is captured)"},
		{"credentials-rejected", 2, "REGISTER for 1154: two answers with the same response over the same nonce, each re-challenged (401, same nonce)"},
		{"retry-storm", 1, "those two answers are identical and 30 ms apart"},
	},
	"heplify__sip_ipv4_tcp_fragmented.pcap": {
		{"call-rejected", 2, "486 Busy Here and 403 Forbidden (Q.850 cause 21 CALL_REJECTED) from the SBC"},
		{"transaction-timeout", 1, "the SBC's INVITE on TCP 37398 → 10.186.205.131:6060 (frame 47, 2.8 s) gets no response at all, while the same connection carries 100/180 for the next INVITE (frames 104-112, 9.5 s) and the capture goes on to 126 s"},
	},
	"heplify__sip_sctp.pcap": {
		{"call-rejected", 1, "403 'The reason is nocallee' from OpenSIPS, Reason Q.850 cause 21"},
	},
	"heplify__sip_tcp_websocket.pcap": {
		{"ack-branch-mismatch", 1, "the 407's ACK carries branch z9hG4bK7873059, the INVITE had z9hG4bK2834173"},
	},
	"nDPI__fuzz-2006-06-26-2594.pcap": {
		{"call-rejected", 2, "a fuzzed copy of sngrep aaa.pcap: the 403 and 480 to INVITE survive, the credentials before the 403 do not parse"},
	},
	"sip_captures__branch-scenario-sipp.pcapng": {
		{"ack-missing", 1027, "SIPp scenario: INVITE → 180 → 403 Error, then BYE instead of ACK in 1027 of the calls"},
		{"call-rejected", 1148, "every INVITE of the scenario is answered 403 Error"},
	},
	"sip_captures__private-test-sip-2.pcapng": {
		{"one-way-media", 1, "Jitsi at 172.16.98.1:5028 sends 960 G.722 packets to the phone at 172.16.98.181:4000 over 19 s; the phone, whose answer (frame 16) says sendrecv, sends none back (tshark -z rtp,streams lists that one stream only)"},
		{"ack-missing", 1, "408 Request Timeout to INVITE retransmitted 10 times by repro, never ACKed"},
		{"call-rejected", 2, "that 408, sent by repro after it had relayed the callee's 200 and its ACK; and a warning: the callee's BYE to Jitsi (frame 777) is refused 500 Request out of order, Retry-After: 10 (frame 804)"},
		{"transaction-timeout", 1, "a warning: repro's copy of the caller's BYE to 172.16.98.181 is sent 11 times over 31.5 s and never answered (that phone had sent its own BYE)"},
	},
	"sip_captures__private-test-sip.pcapng": {
		{"transaction-timeout", 1, "the first REGISTER (frame 1) is answered by ICMP port unreachable from 172.16.98.102 itself (frame 2) and never retried"},
		{"call-rejected", 5, "repro answers REGISTERs 404 and INVITEs 480 No DNS results"},
		{"loop-or-hops", 20, "repro answers 20 REGISTERs 483 Too Many Hops although they leave the phone with Max-Forwards 70: a loop in or past repro"},
		{"credentials-rejected", 10, "PJSUA REGISTER → 407 → REGISTER with Proxy-Authorization → 407 with the same nonce, not stale"},
		{"forbidden-after-auth", 2, "403 Authentication Failed right after Proxy-Authorization"},
	},
	"nDPI__webex.pcap": {
		{"transaction-timeout", 2, "a REGISTER to 172.16.1.75 sent 11 times over 31.5 s, at 12 s and again at 76 s, never answered; the capture goes on to 117 s (the third series at 103 s is too close to the end)"},
	},
	"sip_captures__Forensic_challenge_4.pcap": {
		{"scanner", 1, "the Honeynet challenge's attacker: User-Agent \"UNfriendly-scanner - for demo purposes\""},
		{"media-jitter", 1, "172.25.105.3:63184 → 172.25.105.40:18150 stalls for 0.2 to 1.1 s again and again (202.7 → 203.1 s, 223.4 → 224.5 s …) with consecutive sequence numbers: tshark's max jitter 122.2 ms"},
	},
	"sip_captures__sip-488-Not-Acceptable-Here-codec-null.pcapng": {
		{"sdp-no-common-codec", 1, "the INVITE offers PCMU only and FreePBX, after accepting the credentials, answers 488 Not Acceptable Here: no codec allowed on its side"},
	},
	"sip_captures__sip-register-to-repo-proxy.pcapng": {
		{"call-rejected", 5, "480 No DNS results to REGISTERs, Warning 399 'No other DNS entries to try'"},
	},
	"sip_captures__sip-register-wrong_password-401-403-401-403.pcapng": {
		{"forbidden-after-auth", 2, "401 → Authorization → 403 Forbidden, twice"},
	},
	"sip_captures__sip-register-wrong_user-401-403-404.pcapng": {
		{"forbidden-after-auth", 1, "401 → Authorization → 403 Forbidden"},
	},
	"sip_captures__sip-routing-error-wireshark.pcapng": {
		{"call-rejected", 2, "two INVITEs answered 404 Not Found by Asterisk"},
	},
	"sipnab__Asterisk_ZFONE_XLITE.pcap": {
		{"media-loss", 1, "X-Lite's stream 192.168.10.41:64508 → .40:49848 skips sequence numbers across silences of 2.5 s and 4.7 s (18.6 → 21.1 s, 21.5 → 26.2 s) while the reverse stream goes on without a gap: 369 of 574 packets missing, as tshark counts (Zfone turns the stream to SRTP meanwhile)"},
	},
	"sipnab__SIP_DTMF2.cap": {
		{"call-rejected", 1, "603 Decline from the Brekeke server"},
	},
	"sip_captures__sip-2phones-B2BUA-Asterisk.pcapng": {
		{"one-way-media", 2, "Asterisk's re-INVITEs (frames 35, 37) move the media direct: 172.16.98.145:8000 then sends 355 PCMU packets to 172.16.98.1:8000 over 7 s, and .1 sends one packet (19.26 s) and nothing more; one finding on each leg's Call-ID"},
	},
	"sip_captures__sip-flow-private.pcapng": {
		{"call-rejected", 1, "a warning: the caller's BYE to Jitsi at 172.16.98.1 (frames 635, 636) is refused 500 Request out of order, Retry-After: 10 (frame 637)"},
		{"one-way-media", 1, "172.16.98.182:7078 sends 592 opus packets to 172.16.98.1:5000 from 135.1 s to 153.3 s; .1, which answered sendrecv (frame 36), sends no RTP at all"},
	},
	"sip_captures__voip1b.pcapng": {
		{"one-way-media", 2, "after the direct-media re-INVITEs, 172.16.98.182:7078 sends 642 PCMU packets to 172.16.98.181:4006 over 20 s; .181 sends 32 in the first 0.65 s (the first drew an ICMP port unreachable from .182, frame 18) and then nothing; one finding per leg"},
	},
	"sip_captures__voip-extension2downata.pcap": {
		{"slow-setup", 1, "the PBX 192.168.5.5 sends the INVITE to the ATA 192.168.5.2 twelve times (lines L1-a to L1-d), never answered, then answers the caller itself 14.1 s after the INVITE with no ringing"},
	},
	"sngrep__ipv6frag.pcap": {
		{"udp-too-large", 1, "the 1691-byte INVITE over UDP/IPv6 travels in two fragments (frames 1 and 2); it is answered 100, 183, so it got through, at a risk"},
	},
	"sngrep__aaa.pcap": {
		{"call-rejected", 1, "480 Error with Reason Q.850 cause 21 from the Cirpack gateway"},
		{"dns-failure", 1, "a warning: before that rejected INVITE the phone waited 17 s on SRV _sip._udp.sip.cybercity.dk queries that got no answer (info on the calls that went on to succeed)"},
		{"transaction-timeout", 1, "SER sends 100 trying, then nothing for 33 s, the caller CANCELs, and SER answers 408 Request Timeout: no final from its next hop"},
		{"forbidden-after-auth", 1, "voi18063's REGISTER answered 17 s late: 403 Wrong password (voi18062 later succeeds after as long a wait)"},
		{"slow-retry", 7, "the phone waits ~17 s on unanswered DNS SRV queries before every answer: 401 'nonce has changed' five times, 403 after 32 s and 51 s"},
	},
}

type problem struct {
	code   analysis.Code
	n      int
	reason string
}

func TestPublicCaptureProblems(t *testing.T) {
	dir := testenv.SharedPcaps(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasSuffix(name, ".md") || strings.HasSuffix(name, ".json") {
			continue
		}
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			got := map[analysis.Code]int{}
			s, err := authlab.Load(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			opt := analysis.Options{Survey: analysis.NewSurvey(s)}
			for _, c := range s.Calls() {
				for _, f := range analysis.Diagnose(s, c, opt) {
					if e, ok := analysis.Lookup(f.Code); !ok || f.Severity > e.Severity {
						t.Errorf("%s is %s, above its catalogue severity %s", f.Code, f.Severity, e.Severity)
					}
					if f.Severity > analysis.Info {
						got[f.Code] += f.Times()
					}
				}
			}
			want := map[analysis.Code]int{}
			for _, p := range problems[name] {
				want[p.code] = p.n
			}
			var diff []string
			for code := range union(got, want) {
				if got[code] != want[code] {
					diff = append(diff, string(code)+": "+itoa(got[code])+", want "+itoa(want[code]))
				}
			}
			sort.Strings(diff)
			if len(diff) > 0 {
				t.Errorf("warnings and errors differ from the list read against the packets: %s", strings.Join(diff, "; "))
			}
		})
	}
	for name := range problems {
		if !seen[name] {
			t.Errorf("%s is listed but not in %s", name, dir)
		}
	}
}

func union(a, b map[analysis.Code]int) map[analysis.Code]bool {
	out := map[analysis.Code]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}
