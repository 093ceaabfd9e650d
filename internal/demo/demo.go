// Package demo holds the capture that `sipdbg demo` shows, recorded by
// the lab with real Kamailio and SIPp (testdata/lab/auth, merged from
// four of its captures by testdata/lab/auth/make-demo.sh): a REGISTER
// challenged with 401 and accepted, a REGISTER with a wrong password, an
// INVITE whose 407 is never ACKed, and a call through a proxy (407) and a
// second element in another realm (401) with separate credentials.
//
// It imports capture, pipeline and session to load it.
package demo

import (
	_ "embed"
	"strings"

	"github.com/sipdbg/sipdbg/capture"
)

// pcap is the demo capture file (pcap). A string, not a []byte: no
// caller can change what the next one reads.
//
//go:embed demo.pcap
var pcap string

// Name is the name the demo capture is shown under.
const Name = "demo.pcap (built in)"

// Open returns a reader of the demo capture.
func Open() (*capture.Reader, error) {
	return capture.NewReader(strings.NewReader(pcap), Name, int64(len(pcap)))
}

// Bytes returns a copy of the demo capture file.
func Bytes() []byte { return []byte(pcap) }
