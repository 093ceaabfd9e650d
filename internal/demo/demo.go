// Package demo holds the capture that `sipdbg demo` shows: a REGISTER
// challenged with 401 and a call challenged with 407 by a Kamailio proxy,
// recorded by testdata/lab/regen-fixtures.sh (tcpdump -i any, so Linux
// SLL2), which refreshes this copy.
package demo

import _ "embed"

// Capture is the demo capture file (pcap).
//
//go:embed demo.pcap
var Capture []byte

// Name is the name the demo capture is shown under.
const Name = "demo.pcap (built in)"
