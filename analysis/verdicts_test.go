package analysis_test

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/testkit/authlab"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
	"github.com/sipdbg/sipdbg/report"
)

// corpusVerdicts lists, for every capture of ../shared/pcaps, the verdicts
// its calls get, each with how many calls get it and why that verdict is
// right, read from the packets (frame numbers are the capture's). A verdict
// is the severity and code of analysis.VerdictOf, "" for a call without any
// finding. problems_test.go holds the warnings and errors among all the
// findings; this table holds every call, the ones that went well too, so
// that a verdict that changes on a public capture is read against the
// packets again before the table changes.
//
// A reason that begins with "FALSE: " is a verdict the packets contradict
// (most often a failure told as a normal step, or as nothing): it is listed
// as sipdbg gives it today, with the frames that show it, until the
// analysis is fixed; the row then changes with the fix.
var corpusVerdicts = map[string][]verdictCount{
	"PcapPlusPlus__sip_non_default_port.pcap": {
		{"", 2, "two one-packet samples on UDP port 52380: an INVITE alone and a 200 OK of another Call-ID alone, nothing to judge"},
	},
	"PcapPlusPlus__sip_not_sdp.pcap": {
		{"", 1, "a single PUBLISH with a pidf+xml body, no answer in a one-packet sample"},
	},
	"PcapPlusPlus__sip_reqs.pcap": {
		{"", 3, "request samples, each alone: an INVITE, a CANCEL with an ACK of the other direction (over PPPoE), a BYE"},
	},
	"PcapPlusPlus__sip_resp.pcap": {
		{"error call-rejected", 2, "REGISTERs answered 504 Server Timeout and 503 Service Unavailable (Retry-After: 0) by 10.129.34.51 (frames 6, 7)"},
		{"info answer-not-captured", 2, "a 401 to a REGISTER whose request and retry are not in this response sample (frames 4, 5): the answer may be out of sight, said as info"},
		{"", 1, "100, 180, 200 to an INVITE whose request is not in the sample: a call answered"},
	},
	"arkime__gtp-iphone.pcap": {
		{"info auth-accepted", 1, "VoLTE REGISTER 401 (AKAv1-MD5) → REGISTER with the AKA response → 200, later an un-REGISTER (Expires: 0) → 200: the iPhone authenticated"},
		{"info call-rejected", 1, "the SUBSCRIBE to the reg event (frame 31) refused 405 Method Not Allowed by the YATE core (frame 34): a feature it does not offer"},
		{"info media-loss", 1, "INVITE tel:122 → 180 → 200 → ACK → BYE 200; its AMR stream is 97% missing, but the capture holds only 25 frames over that span: a sampled capture, said as info"},
		{"", 1, "MESSAGE → 202 Accepted"},
	},
	"gprshome-wireshark__sip.pcap": {
		{"warning media-jitter", 2, "the INVITE through miniSIPServer and its leg to the callee, both set up and ended with BYE 200: 192.168.1.105:7902 → 192.168.1.104:51412 (PCMU) has 15 ms mean and 158 ms max jitter and a 2.5 s gap (tshark -z rtp,streams agrees)"},
		{"info auth-accepted", 5, "eyeBeam ↔ miniSIPServer: REGISTERs and SUBSCRIBEs each 407 → retry with Proxy-Authorization → 200/202"},
	},
	"hep-wireshark__hep.pcap": {
		{"error ack-missing", 1, "in HEP: INVITE → 100 → 407, then the client sends OPTIONS and PUBLISH but never ACKs the 407 nor retries with credentials"},
	},
	"hep-wireshark__hep3_compressed.pcap.pcapng": {
		{"info auth-accepted", 1, "in compressed HEP, every packet thrice: REGISTER → proxy → registrar 401 → REGISTER with Authorization → 200"},
	},
	"heplify__FAX-Call-t38-CA-TDM-SIP-FB-1.pcap": {
		{"warning sdp-no-common-codec", 2, "on both legs the re-INVITE CSeq 3 offering only T.38 (m=image udptl) is answered 488 (frames 3112, 3114): the switch to fax is refused; a CSeq 4 re-INVITE back to PCMA gets 200 and the call ends with BYE 200"},
		{"", 1, "a 200 OK to a BYE (frame 7208) that the gateway sent with another Call-ID (1111-2222-3333-4444@1.1.1.1): a lone response"},
	},
	"heplify__erspan_sip_ipv4_udp.pcapng": {
		{"error no-credentials-sent", 1, "the SBC 192.168.1.222 answers the PBX's NOTIFY with 401 realm=\"\" (frame 92); the PBX never retries in the 5 s the capture goes on, and the refresh SUBSCRIBE gets 481 (frame 140)"},
		{"error call-rejected", 1, "a REFER (a transfer) is challenged 407, then refused 488 Not Acceptable Here with Reason 'Transfer impossible: No call handling ressources' by the OmniPCX (frames 111-119), and the phone hangs up at once (frame 120)"},
		{"info auth-accepted", 1, "INVITE 407 → retry → 200, re-INVITE 200, BYE 200"},
		{"warning call-rejected", 3, "the phone's user-profile SUBSCRIBE gets 202 and a NOTIFY, but its refresh 5 s later is refused 481 by the SBC (frames 12, 30, 74), as is the PBX's next NOTIFY (frames 10, 23, 41): the subscription is lost"},
		{"info nat-private-sdp", 1, "PBX → phone 20008910 through the SBC: INVITE 200 ACK, two re-INVITEs 200, BYE 200; the phone's 200 offers audio at 192.168.8.73 from 180.173.83.248"},
	},
	"heplify__ipip0.pcap": {
		{"error call-rejected", 1, "a 403 Forbidden to an INVITE from 179.43.150.26 (frame 2), only the response captured"},
		{"error credentials-rejected", 1, "REGISTER for 1154: 401 → credentials → 401 with the same nonce, twice, 30 ms apart"},
		{"info udp-too-large", 1, "a 1464-byte INVITE over UDP (frame 1) with no answer before the capture ends 2 s later"},
	},
	"heplify__sip_ipv4_tcp_fragmented.pcap": {
		{"error call-rejected", 2, "486 Busy Here (only it and its ACK captured) and 403 Forbidden with Q.850 cause 21 from the SBC"},
		{"error transaction-timeout", 1, "the SBC's INVITE to 10.186.205.131:6060 (frame 47) is TCP-ACKed (frame 48) and never answered, while the server's side of that connection, captured without a gap for the next 124 s, carries the next INVITE's 100 and 180 (frames 107, 112)"},
		{"info slow-setup", 1, "INVITE → 100, 183 only 5.6 s later, then PRACK, 200, ACK: set up, slowly"},
		{"", 66, "5 calls set up (two hung up within 0.3 s of the answer, three answered after 183 and PRACK), 2 cancelled by the caller (487), 26 in-dialog BYE/UPDATE 200 of calls begun before the capture, 5 OPTIONS 200, 2 INVITEs still ringing or in early media when it ends; and 26 call(s): calls set up over TCP (INVITE 200 ACK) and up 3 s or more after the answer, in a capture of SIP alone with no RTP at all: the audio cannot be judged (the capture's own finding says once that it holds no RTP at all, no-media info)"},
	},
	"heplify__sip_ipv4_tcp_retrans.pcap": {
		{"info auth-accepted", 1, "REGISTER over TCP to the proxy .228, relayed over UDP to .227: 401 → retry with Authorization → 200 on both hops"},
	},
	"heplify__sip_ipv6_udp.pcap": {
		{"", 1, "IPv6 call: INVITE 100 200 ACK, BYE 200"},
	},
	"heplify__sip_sctp.pcap": {
		{"error call-rejected", 1, "over SCTP: INVITE → 100 → 403 'The reason is nocallee' from OpenSIPS, Q.850 cause 21, ACKed"},
	},
	"heplify__sip_tcp_websocket.pcap": {
		{"error ack-branch-mismatch", 1, "over WebSocket the 407's ACK has branch z9hG4bK7873059, the INVITE z9hG4bK2834173 (RFC 3261 §17.1.1.3); the retry with credentials is answered 200 and the call ends with BYE 200"},
		{"info udp-too-large", 1, "OpenSIPS's 1419-byte INVITE over UDP to 10.243.1.36:5090, in one packet: 183, 200, ACK, BYE 200"},
		{"", 1, "OPTIONS → 200"},
	},
	"nDPI__fuzz-2006-06-26-2594.pcap": {
		{"error call-rejected", 2, "the 403 Wrong password or domain (frame 581) and the 480 with Q.850 cause 21 (frame 621) to INVITEs survive the fuzzing; the credentials before the 403 do not parse"},
		{"info answer-not-captured", 8, "401s and 407s whose Call-ID the fuzzer damaged, so their requests and retries fall in other calls: the answer is out of this call's sight"},
		{"info dns-failure", 5, "REGISTERs and INVITEs cut off from their answers by damaged Call-IDs, each sent 17-18.5 s after SRV queries that got no answer"},
		{"", 12, "fragments with damaged Call-IDs: a lone REGISTER, a lone 403 whose CSeq header name is garbled (frame 32), lone 100/183/200s, CANCEL copies, ACKs: nothing a verdict can be drawn from"},
	},
	"nDPI__gre.pcapng": {
		{"", 1, "a single 100 Trying over VLAN, GRE and PPP"},
	},
	"nDPI__http_on_sip_port.pcap": {
		{"", 0, "no call: HTTP on TCP port 5060, told as undecodable, not SIP"},
	},
	"nDPI__sip_hello.pcapng": {
		{"info auth-accepted", 1, "REGISTER 401 (realm Huawei) → REGISTER with Authorization → 200, again 5 minutes later"},
	},
	"nDPI__webex.pcap": {
		{"error transaction-timeout", 1, "Zoiper's REGISTER to 172.16.1.75 sent 11 times over 31.5 s, twice, and never answered"},
	},
	"sip_captures__Forensic_challenge_4.pcap": {
		{"warning scanner", 1, "an OPTIONS with User-Agent \"UNfriendly-scanner - for demo purposes\" answered 200 by Asterisk"},
		{"warning media-jitter", 1, "the INVITE to 1000 (401 → 200 → ACK → BYE 200): 172.25.105.3's PCMU to Asterisk has 11 ms mean and 122 ms max jitter and a 1.9 s gap (tshark -z rtp,streams agrees)"},
		{"info auth-accepted", 1, "the REGISTER (401 → 200) went through"},
		{"info call-rejected", 1, "the MWI SUBSCRIBE to 555 is refused 404 Not found (no mailbox) after its 401 (frames 1299-1301): a feature not set up"},
	},
	"sip_captures__REGISTER-Request.pcap": {
		{"", 1, "REGISTER → 200 OK, no challenge"},
	},
	"sip_captures__RTP-Protocol.pcap": {
		{"", 1, "INVITE 100 180, PRACK 200, 200 ACK, BYE 200"},
	},
	"sip_captures__SIP-Call-Flow-Over-TCP.pcap": {
		{"", 1, "over TCP: INVITE 100 180 200 ACK, BYE 200"},
	},
	"sip_captures__SIP-Call-with-Proxy-Server.pcap": {
		{"", 1, "through a proxy: INVITE on both hops, 100 180 200, ACK, BYE 200"},
	},
	"sip_captures__SIP-SDP-Example.pcap": {
		{"", 1, "INVITE 100 180 200 ACK, BYE 200 3 s later, in a capture of SIP alone with no RTP at all (the capture's own finding says once that it holds no RTP at all, no-media info)"},
	},
	"sip_captures__branch-scenario-sipp.pcapng": {
		{"error ack-missing", 1027, "SIPp branch scenario: REGISTER 200, INVITE → 180 → 403 Error, then the client sends BYE instead of ACKing the 403"},
		{"error call-rejected", 121, "REGISTER 200, INVITE → 180 → 403 Error, with neither an ACK nor a BYE in the capture"},
		{"", 186, "71 INVITEs with no answer in the capture, sent once although branchc resends an unanswered INVITE every 500 ms, so their answers were lost from the capture, not on the wire; 8 calls from ua25… that branchc hangs up right after the ACK; 13 with other messages missing the same way; and 94 call(s): calls answered 200 (93 ACKed, then BYE after the scenario's 5 s pause or never) in a capture of SIP alone with no RTP at all (the capture's own finding says once that it holds no RTP at all, no-media info)"},
	},
	"sip_captures__private-test-sip-2.pcapng": {
		{"error ack-missing", 1, "repro's 408 Request Timeout to an INVITE of 172.16.98.1 sent 11 times over 31 s, never ACKed"},
		{"error one-way-media", 1, "a call set up through repro: 172.16.98.1:5028 sends 960 G.722 packets to the phone at 172.16.98.181:4000 over 19 s and none come back; then the phone's BYE gets 500 and repro's copy of the caller's BYE is sent 11 times, never answered"},
		{"info call-rejected", 1, "the phone's presence SUBSCRIBE, relayed back to it by repro, is refused 501 Not implemented (frames 3, 5, 6, 8)"},
		{"", 4, "two REGISTER 200 (one an un-REGISTER) and two OPTIONS 200"},
	},
	"sip_captures__private-test-sip.pcapng": {
		{"error loop-or-hops", 20, "repro answers REGISTERs 483 Too Many Hops although they leave the phone with Max-Forwards 70"},
		{"error credentials-rejected", 10, "PJSUA REGISTER → 407 → REGISTER with Proxy-Authorization → 407 with the same nonce, not stale"},
		{"error call-rejected", 5, "REGISTERs answered 404 and INVITEs 480 No DNS results by repro"},
		{"error forbidden-after-auth", 2, "REGISTER 407 → Proxy-Authorization → 403 Authentication Failed"},
		{"info udp-too-large", 1, "a 1391-byte INVITE through repro in one packet: 100, 200 on both hops, ACK, BYE 200"},
		{"info call-rejected", 6, "the phone's SUBSCRIBEs and PUBLISHes, relayed back to it by repro, are refused 501 Not implemented (frames 185-198, 216-229)"},
		{"error transaction-timeout", 1, "the first REGISTER (frame 1) is answered by ICMP port unreachable from 172.16.98.102 (frame 2) and never retried: nothing listened on 5060 yet"},
		{"", 20, "4 REGISTER 200 and 16 OPTIONS 200"},
	},
	"sip_captures__sip-2phones-B2BUA-Asterisk.pcapng": {
		{"error one-way-media", 2, "both legs of the call (INVITE 401 → 200, and Asterisk's INVITE to the callee): after the direct-media re-INVITEs 172.16.98.145:8000 sends 355 PCMU packets to 172.16.98.1:8000 over 7 s, .1 sends one and nothing more"},
		{"info auth-accepted", 2, "the 2 REGISTERs 401 → 200 went through"},
		{"info call-rejected", 8, "four SUBSCRIBEs refused after their 401, 489 Bad Event (frames 16, 48, 416) and 404 Not found (no mailbox) (frame 18), three PUBLISHes refused 489 Bad Event by Asterisk (frames 12, 45, 413) and a SUBSCRIBE refused 480 Temporarily Unavailable by repro (frame 31): features they do not offer"},
	},
	"sip_captures__sip-488-Not-Acceptable-Here-codec-null.pcapng": {
		{"error sdp-no-common-codec", 1, "INVITE offering PCMU only → 401 → INVITE with Authorization → 100 → 488 Not Acceptable Here from FreePBX"},
		{"", 3, "OPTIONS → 200, three times"},
	},
	"sip_captures__sip-cme-zoiper-register.pcapng": {
		{"info auth-accepted", 1, "Zoiper → Cisco CME: REGISTER 100 401 → REGISTER with Authorization 100 200, then REGISTER 100 200"},
	},
	"sip_captures__sip-direct.pcapng": {
		{"", 1, "phone to phone: INVITE 100 180 200 ACK, BYE 200 5 s later, in a capture of SIP alone with no RTP at all (the capture's own finding says once that it holds no RTP at all, no-media info)"},
	},
	"sip_captures__sip-flow-private-2.pcapng": {
		{"", 3, "two phones REGISTER 200 and un-REGISTER 200; a call through the proxy: INVITE, 180, 200 on both hops, ACK, BYE 200"},
	},
	"sip_captures__sip-flow-private-3.pcapng": {
		{"", 3, "two phones REGISTER 200 and un-REGISTER 200; a call through the proxy: INVITE, 100, 180, 200 on both hops, ACK, BYE 200"},
	},
	"sip_captures__sip-flow-private.pcapng": {
		{"error one-way-media", 1, "a call through the proxy: 172.16.98.182:7078 sends 592 opus packets to 172.16.98.1:5000 over 18 s and .1 sends none; its BYE is then refused 500 Request out of order (frame 637), a warning beneath"},
		{"info call-rejected", 3, "the phone's two SUBSCRIBEs and its PUBLISH, relayed back to it by the proxy, are refused 501 Not implemented (frames 10-18)"},
		{"", 8, "two phones REGISTER 200 and un-REGISTER 200, and six OPTIONS 200"},
	},
	"sip_captures__sip-phone-to-phone.pcapng": {
		{"", 1, "phone to phone: INVITE 100 180 200 ACK, BYE 200"},
	},
	"sip_captures__sip-register-dns-srv.pcapng": {
		{"", 1, "DNS lookups, then OPTIONS → 200"},
	},
	"sip_captures__sip-register-ok-unregister-2.pcapng": {
		{"info auth-accepted", 1, "REGISTER 401 → Authorization → 200, then un-REGISTER 401 → Authorization → 200"},
	},
	"sip_captures__sip-register-ok-unregister.pcapng": {
		{"info auth-accepted", 1, "REGISTER and un-REGISTER, each 401 → 200"},
		{"info call-rejected", 3, "two SUBSCRIBEs refused after their 401, 489 Bad Event (frame 13) and 404 Not found (no mailbox) (frame 14), and a PUBLISH refused 489 Bad Event by Asterisk (frame 8): features it does not offer"},
	},
	"sip_captures__sip-register-publish-subscribe-489-401.pcapng": {
		{"info auth-accepted", 1, "the REGISTER (401 → 200) went through"},
		{"info call-rejected", 18, "ten SUBSCRIBEs refused after their 401, 489 Bad Event (frames 16, 24, 30, 36, 42, 48, 54, 60) or 404 Not found (no mailbox) (frames 7, 18), and eight PUBLISHes refused 489 Bad Event by Asterisk (frames 12 to 57): features it does not offer"},
	},
	"sip_captures__sip-register-to-repo-proxy.pcapng": {
		{"error call-rejected", 5, "REGISTERs answered 480 No DNS results by repro, Warning 399 'No other DNS entries to try'"},
		{"", 5, "REGISTER → 200, four of them then un-REGISTER → 200"},
	},
	"sip_captures__sip-register-wrong_password-401-403-401-403.pcapng": {
		{"error forbidden-after-auth", 2, "REGISTER and SUBSCRIBE each 401 → Authorization → 403 Forbidden"},
	},
	"sip_captures__sip-register-wrong_user-401-403-404.pcapng": {
		{"error forbidden-after-auth", 1, "REGISTER 401 → Authorization → 403 Forbidden"},
		{"info call-rejected", 1, "a SUBSCRIBE refused 404 Not found by Asterisk (frame 6)"},
	},
	"sip_captures__sip-register.pcapng": {
		{"", 1, "REGISTER → 200, no challenge"},
	},
	"sip_captures__sip-rem-register.pcapng": {
		{"", 1, "un-REGISTER (Expires: 0) → 200"},
	},
	"sip_captures__sip-routing-error-wireshark.pcapng": {
		{"error call-rejected", 2, "INVITE 401 → INVITE with Authorization → 404 Not Found from Asterisk, twice"},
		{"info auth-accepted", 2, "the 2 REGISTERs (401 → 200) went through"},
		{"info call-rejected", 14, "five SUBSCRIBEs refused after their 401, 489 Bad Event (frames 18, 31, 38, 56) and 404 Not found (no mailbox) (frame 20); SUBSCRIBEs refused 480 Temporarily Unavailable by repro (frames 6, 40, 42, 44, 52) and PUBLISHes refused 489 Bad Event by Asterisk (frames 14, 25, 35, 58): features they do not offer"},
	},
	"sip_captures__test_voip.pcap.pcapng": {
		{"info auth-accepted", 1, "INVITE 401 → INVITE with Authorization → 100 180 200 ACK, BYE 200"},
		{"info retransmissions", 1, "Asterisk's INVITE to the callee 192.168.87.49 resent once, then 100 180 200 ACK, BYE 200"},
		{"", 4, "OPTIONS → 200, four times"},
	},
	"sip_captures__uac-uas-scenario-sipp.pcapng": {
		{"", 771, "SIPp uac ↔ uas: INVITE 180 200 ACK, BYE 200 at once; and 3 call(s): the 3 calls whose ACK or BYE is not in the capture (SIPp resends an unanswered 200 or BYE every 500 ms and did not: lost from the capture), so up until its end 76 s later, with no RTP in it (the capture's own finding says once that it holds no RTP at all, no-media info)"},
	},
	"sip_captures__voip-extension.pcap": {
		{"info retransmissions", 1, "the PBX 192.168.5.11 answers the phone's call to 0, REFERs it to 204 (202 Accept) and hangs up (BYE resent once, 200); the PBX's 488s to the phone's NOTIFYs come after its own BYE"},
		{"", 1, "the transfer: the phone INVITEs 204 through the PBX to 192.168.5.20, 180 200 ACK on both legs, BYE 200"},
	},
	"sip_captures__voip-extension2downata.pcap": {
		{"warning slow-setup", 1, "the PBX tries the ATA 192.168.5.2 lines L1-a to L1-d, twelve INVITEs never answered, then answers the caller itself 200 after 14.1 s with no ringing"},
		{"info retransmissions", 1, "a CANCEL to the ATA sent 7 times, unanswered, its INVITE before the capture; the capture ends 27 s after the first copy, before timer F"},
		{"info challenge-401", 1, "REGISTER 401 → REGISTER with Authorization as the capture's last packet (frame 412): its answer cannot be seen"},
	},
	"sip_captures__voip1b.pcapng": {
		{"error one-way-media", 2, "both legs of the call (INVITE 401 → 200, and the callee's): after the direct-media re-INVITEs 172.16.98.182:7078 sends 642 PCMU packets to 172.16.98.181:4006 over 20 s, .181 sends 32 in the first 0.65 s and then nothing"},
		{"info auth-accepted", 2, "REGISTER 401 → 200; un-REGISTER 401 → 200"},
	},
	"sipnab__Asterisk_ZFONE_XLITE.pcap": {
		{"warning media-loss", 1, "INVITE 401 → 200 → ACK, re-INVITE, BYE 200; X-Lite's (Z)RTP to Asterisk numbers 574 packets, the capture holds 205 (gaps of 2.5 s and 4.7 s) while the other direction, 790 packets, is whole"},
		{"info auth-accepted", 1, "the REGISTER 401 → 200 went through"},
		{"info call-rejected", 2, "X-Lite's two SUBSCRIBEs refused 404 Not Found after their 401 (frames 12, 14): presence not set up on the PBX"},
		{"", 1, "OPTIONS → 200"},
	},
	"sipnab__DTMFsipinfo.pcap": {
		{"", 1, "a call to echo@iptel.org over PPPoE set up (forked INVITE copies answered 200, the extra branches CANCELled), 48 s in a capture of SIP alone; its 4 DTMF digits go as SIP INFO (each 200) though both SDPs offer telephone-event, a finding this caveat outranks (the capture's own finding says once that it holds no RTP at all, no-media info)"},
	},
	"sipnab__SIP_CALL_RTP_G711": {
		{"", 4, "INVITE 100 180 200 ACK, two REGISTER 200, and an INVITE ringing (180) when the capture ends 10 s later"},
	},
	"sipnab__SIP_DTMF2.cap": {
		{"error call-rejected", 1, "INVITE → 100 → 603 Decline from the Brekeke server, ACKed"},
		{"", 4, "three REGISTER 100 200 (two refreshed), and a call through the proxy: INVITE 100 180 200 on both hops, ACK"},
	},
	"sipnab__c07-sip-r2.cap": {
		{"info udp-too-large", 3, "PROTOS test cases: requests of 1712 to 4541 bytes (methods of 'a') over UDP to 127.0.0.1:80, in one packet each, unanswered"},
		{"", 9, "the other PROTOS requests (an INVITE, methods of 'a'), sent to 127.0.0.1:80 and unanswered: malformed input, no call"},
	},
	"sipnab__codec-negotiation.pcap": {
		{"", 1, "INVITE 100 180 200 ACK, re-INVITE 200 ACK, BYE 200"},
	},
	"sipnab__invite-opus-bye.pcap": {
		{"", 1, "INVITE 100 180 200 ACK, BYE 200"},
	},
	"sipnab__metasploit-sip-invite-spoof.pcap": {
		{"", 1, "the spoofed INVITE (sip:@127.0.0.1) answered 180 Ringing"},
	},
	"sipnab__register-invite-reinvite-bye.pcap": {
		{"", 2, "REGISTER 200; INVITE 100 180 200 ACK, re-INVITE 200 ACK, BYE 200"},
	},
	"sipnab__sip-rtp-g711.pcap": {
		{"", 2, "INVITE 100 200 ACK BYE 200, and INVITE 100 200 ACK"},
	},
	"sipnab__sip-rtp-g722.pcap": {
		{"", 1, "INVITE 100 200 ACK, BYE 200"},
	},
	"sipnab__sip-rtp-g729a.pcap": {
		{"", 1, "INVITE 100 200 ACK, BYE 200"},
	},
	"sipnab__sip-rtp-opus-hybrid.pcap": {
		{"", 1, "INVITE → 200 and a few Opus packets: a two-message sample"},
	},
	"sipnab__sip_call.pcap": {
		{"", 1, "INVITE 100 180 200 ACK, BYE 200"},
	},
	"sngrep__aaa.pcap": {
		{"error slow-retry", 4, "the phone waits ~17 s on unanswered SRV queries before every answer to a challenge: 401 'nonce has changed' or 403 after 32 s and 51 s; one of the REGISTERs gets its 200 in the end"},
		{"error call-rejected", 1, "INVITE 407 → retry → 183 → 480 Error with Q.850 cause 21 from the Cirpack gateway"},
		{"error transaction-timeout", 1, "SER answers 100 trying, nothing for 33 s, the caller CANCELs, and SER answers 408 Request Timeout: its next hop never answered"},
	},
	"sngrep__ipip.pcap": {
		{"", 1, "over TCP in IP-in-IP: INVITE 183 200, a BYE 32 s later, in a 4-packet capture of SIP alone (the capture's own finding says once that it holds no RTP at all, no-media info)"},
	},
	"sngrep__ipv6frag.pcap": {
		{"warning udp-too-large", 1, "the 1691-byte INVITE over UDP/IPv6 travels in two fragments; it got through (183, PRACK, UPDATE, 200, ACK, BYE 200), at a risk"},
	},
	"sngrep__tlssaved.pcap": {
		{"", 0, "no call: SIP over TLS without its keys, told as undecodable"},
	},
	"suricata-verify__sip-body-frames__public-cloudshark-sip-s0.pcap": {
		{"", 3, "REGISTER 200, and an INVITE ringing when the capture ends; and 1 call(s): INVITE 100 180 200 ACK, up 16 s until the capture ends, SIP alone (the capture's own finding says once that it holds no RTP at all, no-media info)"},
	},
	"suricata-verify__sip-body-large__sip-body-large.pcap": {
		{"", 1, "INVITE over TCP on loopback with a 65,536-byte body → 100 Trying"},
	},
	"suricata-verify__sip-compact-form__sip_compact_form.pcap": {
		{"info nat-private-sdp", 1, "a lone INVITE in compact form from 1.1.1.1 whose SDP asks for audio at 192.168.1.2"},
	},
	"suricata-verify__sip-header-multi-value__sip_header_multi_val.pcap": {
		{"info nat-private-sdp", 1, "a lone INVITE from 1.1.1.1 whose SDP asks for audio at 192.168.1.2"},
	},
	"suricata-verify__sip-options-method__input.pcap": {
		{"", 1, "OPTIONS → 200"},
	},
	"suricata-verify__sip-pattern-matching__sip.pcap": {
		{"info answer-not-captured", 1, "REGISTER → 401 as the capture's last packet"},
	},
	"suricata-verify__sip-sdp__sdp.pcap": {
		{"info nat-private-sdp", 1, "INVITE from 1.1.1.1 with SDP audio at 192.168.1.2 → 200 Ok"},
	},
	"suricata-verify__sip-tcp-method__sip-tcp.pcap": {
		{"", 1, "REGISTER over TCP → 200"},
	},
	"suricata-verify__sip-tcp-pattern-matching__sip.pcap": {
		{"info answer-not-captured", 1, "REGISTER over TCP → 401 as the capture's last SIP message"},
	},
	"zeek__invalid-content-length.pcap": {
		{"", 1, "INVITE with a wrong Content-Length → 200 OK"},
	},
	"zeek__sip-junk-before-request.pcap": {
		{"", 1, "a lone REGISTER after junk bytes, without a Call-ID"},
	},
	"zeek__sip-long-request-response-paths.pcap": {
		{"info udp-too-large", 1, "a 9563-byte OPTIONS with long Via/Route paths over UDP, in one packet, answered 200"},
	},
}

// verdictCount is how many calls of a capture get one verdict.
type verdictCount struct {
	verdict string // "error call-rejected"; "" for the calls without any finding
	calls   int
	reason  string
}

// TestCorpusVerdicts gives each call its verdict as report.Summarise does
// (the tally report --summary prints and bench/verdicts.sh adds up), and
// checks that the tally counts as many calls per code: the table and the
// product agree. The table keeps each call's own severity, where the tally
// keeps a code's highest (a capture with an INVITE refused, an error, and
// PUBLISHes refused, info, tallies them all as errors).
func TestCorpusVerdicts(t *testing.T) {
	dir, names := testenv.SharedCaptures(t)
	seen := map[string]bool{}
	for _, name := range names {
		seen[name] = true
		want, listed := corpusVerdicts[name]
		if !listed {
			t.Errorf("%s is not listed: read its calls against the packets and add its verdicts", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			s, err := authlab.Load(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			opt := analysis.Options{Survey: analysis.NewSurvey(s)} // what Summarise runs with
			got := map[string]int{}
			for _, c := range s.Calls() {
				v := analysis.VerdictOf(analysis.Diagnose(s, c, opt))
				if v == nil {
					got[""]++
					continue
				}
				got[v.Severity.String()+" "+string(v.Code)]++
			}
			tally, err := report.Summarise(s, analysis.Options{})
			if err != nil {
				t.Fatal(err)
			}
			summed := map[string]int{} // report --summary counts each code at each severity apart
			for _, v := range tally.Verdicts {
				summed[v.Severity.String()+" "+string(v.Code)] += v.Calls
			}
			for k, n := range got {
				if k != "" && summed[k] != n {
					t.Errorf("report.Summarise counts %d calls with verdict %s, the calls one by one %d", summed[k], k, n)
				}
				delete(summed, k)
			}
			for k, n := range summed {
				t.Errorf("report.Summarise counts %d calls with verdict %s, which no call has", n, k)
			}
			wanted := map[string]int{}
			for _, w := range want {
				if w.reason == "" || strings.Contains(w.reason, "\n") {
					t.Errorf("%q needs a one-line reason", w.verdict)
				}
				wanted[w.verdict] = w.calls
			}
			var diff []string
			for v := range got {
				if _, ok := wanted[v]; !ok {
					wanted[v] = 0 // a verdict the table does not know
				}
			}
			for v, n := range wanted {
				if got[v] != n {
					diff = append(diff, strconv.Quote(v)+": "+strconv.Itoa(got[v])+" calls, want "+strconv.Itoa(n))
				}
			}
			slices.Sort(diff)
			if len(diff) > 0 {
				t.Errorf("verdicts differ from the table read against the packets: %s", strings.Join(diff, "; "))
			}
		})
	}
	for name := range corpusVerdicts {
		if !seen[name] {
			t.Errorf("%s is listed but not in %s", name, dir)
		}
	}
}
