// Package texttrace turns text traces of SIP traffic, the kind a PBX or
// proxy prints when asked to log what it sends and receives, into SIP
// message records. People debugging a 401 or 407 often have such a log
// and no capture.
//
// Parse recognises, line by line and per message (so mixed files work):
//
//   - "pjsip": Asterisk res_pjsip_logger, "<--- Received SIP request (N
//     bytes) from UDP:ip:port --->" and "<--- Transmitting SIP response
//     (N bytes) to TLS:ip:port --->".
//   - "chan_sip": Asterisk chan_sip debug, "<--- SIP read from
//     UDP:ip:port --->" … "<------------->", "<--- [Reliably ]Transmitting
//     (NAT) to ip:port --->" … "<------------>", "Retransmitting #N (NAT)
//     to ip:port:" … "---".
//   - "freeswitch": sofia-sip's tport log (sofia global siptrace on),
//     "recv N bytes from udp/[ip]:port at HH:MM:SS.micro:" between two
//     dashed lines, message lines indented by three spaces.
//   - "sipdump": Kamailio's sipdump module text files (mode 1), a
//     "====================" block of "key: value" lines, "~~~~…", the
//     message, "||||…".
//   - "baresip": baresip's SIP trace (-s, or sip_trace in newer
//     versions), "#" then "UDP ip:port -> ip:port" then the message in
//     ANSI colour.
//   - "sngrep": sngrep's "save as .txt", "YYYY/MM/DD HH:MM:SS.micro
//     ip:port -> ip:port" before each message.
//   - "plain": SIP messages pasted one after another with no addresses,
//     framed by the empty line after the headers and Content-Length.
//
// Kamailio's siptrace module has no text output (it stores to a database
// or mirrors as HEP, which the pcap pipeline reads), so it has no format
// here.
//
// Every line first loses its ANSI escape sequences and, if it has one, a
// log prefix: "[Nov 28 09:49:26] VERBOSE[1234][C-00000001] file.c: "
// (Asterisk), "Nov 28 09:49:26 host tag[pid]: " (syslog), or an ISO or
// time-of-day stamp. Lines that belong to no message are skipped.
//
// A message's header lines get CRLF ends, as SIP requires. The body is
// framed by Content-Length when there is one and kept as the trace holds
// it; only when the trace evidently turned every CRLF into LF (the header
// lines end in LF) and putting the CRs back makes the body exactly
// Content-Length long are they put back.
// Without Content-Length a message has a body only if it has a Content-Type
// (RFC 3261 §20.15); the body then runs to the next message, trace header or
// log line.
//
// Addresses the trace does not give are inferred from the message (see
// infer.go) and marked so (Record.SrcInferred, DstInferred). The PBX
// formats give only the far end. Times: a trace with a full date uses it, in
// UTC; a time of day alone, or a month and day without a year (Asterisk's
// default date format, syslog), takes the missing part from the nearest
// full date seen earlier in the file (or the first one after), else from
// 1970-01-01.
//
// Parse runs in time linear in its input and holds at most 1 MiB per
// message and per line; larger messages are dropped with a Problem.
//
// It imports only capture and siplex (the SIP lexer): never session,
// pipeline or a test kit.
package texttrace
