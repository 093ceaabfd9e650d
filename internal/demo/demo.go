// Package demo holds the capture that `sipdbg demo` shows, recorded by
// the lab with real Kamailio and SIPp (testdata/lab/auth, merged from
// four of its captures by testdata/lab/auth/make-demo.sh): a REGISTER
// challenged with 401 and accepted, a REGISTER with a wrong password, an
// INVITE whose 407 is never ACKed, and a call through a proxy (407) and a
// second element in another realm (401) with separate credentials.
//
// It imports capture, pipeline and session to load it.
package demo

import _ "embed"

// Capture is the demo capture file (pcap).
//
//go:embed demo.pcap
var Capture []byte

// Name is the name the demo capture is shown under.
const Name = "demo.pcap (built in)"
