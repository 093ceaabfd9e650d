// Command sipgen writes a large, realistic, reproducible SIP capture
// (pcap, Ethernet) for benchmarks and tests, and reports exactly what it
// holds.
//
//	sipgen -size 1G -seed 1 -o big.pcap     # also writes big.pcap.json
//	sipgen -messages 20000 -o - | sipdbg report -
//	sipgen -size 1G -rtp -o media.pcap       # answered calls carry RTP: most of the file
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/sipdbg/sipdbg/internal/testkit/gen"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sipgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	size := fs.String("size", "", "target file size: 1G, 200M, … (powers of 1024)")
	messages := fs.Int("messages", 0, "target number of SIP messages (default 100000 when -size is not given either)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed and targets give the same bytes")
	out := fs.String("o", "-", "output file, - for standard output")
	sidecar := fs.String("json", "", "write the report as JSON to this file (default FILE.json with -o FILE; \"none\" for none)")
	rate := fs.Float64("rate", 0, "scenarios started per second of capture time (default 200)")
	uas := fs.Int("uas", 0, "number of user agents (default scales with the target, 2000 to 20000)")
	nanos := fs.Bool("nanos", false, "nanosecond timestamps (default microseconds)")
	rtp := fs.Bool("rtp", false, "answered calls carry RTP both ways (G.711 or opus, 20 ms, some DTMF, a few one-way calls); the size target counts it")
	loss := fs.Float64("rtp-loss", 0.02, "with -rtp: the highest share of packets a lossy stream loses (3 streams in 10 lose some)")
	jitter := fs.Float64("rtp-jitter", 3, "with -rtp: the largest delay of a packet after its 20 ms slot, in ms")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: sipgen [-size N | -messages N] [-seed N] [-rtp] [-o FILE] [-json FILE]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	cfg := gen.Config{Seed: *seed, Messages: *messages, Rate: *rate, UAs: *uas, Nanos: *nanos}
	if *rtp {
		cfg.RTP, cfg.RTPLoss, cfg.RTPJitter = true, *loss, *jitter
	}
	if *size != "" {
		n, err := gen.ParseSize(*size)
		if err != nil {
			fmt.Fprintln(stderr, "sipgen:", err)
			return 2
		}
		cfg.Size = n
	}

	var w io.Writer = stdout
	var f *os.File
	if *out != "-" {
		var err error
		if f, err = os.Create(*out); err != nil {
			fmt.Fprintln(stderr, "sipgen:", err)
			return 2
		}
		w = f
	}
	start := time.Now()
	rep, err := gen.Generate(w, cfg)
	if err == nil && f != nil {
		err = f.Close()
	}
	if err != nil {
		fmt.Fprintln(stderr, "sipgen:", err)
		return 1
	}
	el := time.Since(start)

	fmt.Fprintf(stderr, "sipgen: %s: %d bytes, %d packets in %.2fs (%.0f MB/s)\n", *out, rep.Bytes, rep.Packets, el.Seconds(), float64(rep.Bytes)/1e6/el.Seconds())
	fmt.Fprintf(stderr, "  %d SIP messages (%d UDP, %d TCP; %d retransmissions; %d split over 2 TCP segments), %d calls (Call-IDs)\n",
		rep.SIPMessages, rep.UDPMessages, rep.TCPMessages, rep.Retransmissions, rep.SplitMessages, rep.Calls)
	fmt.Fprintf(stderr, "  %d malformed (%d truncated IPv4 headers, %d non-SIP text on port 5060), %d CRLF keep-alives, %d STUN\n",
		rep.Malformed, rep.TruncatedIP, rep.Garbage, rep.Keepalives, rep.STUN)
	fmt.Fprintf(stderr, "  %d registrations (%d failed, %d unregistrations), %d INVITEs (%d answered, %d busy, %d cancelled, %d auth failed), %d OPTIONS (%d unanswered)\n",
		rep.Registrations, rep.RegistrationsFailed, rep.Unregistrations, rep.Invites, rep.Answered, rep.Busy, rep.Cancelled, rep.InviteAuthFailed, rep.Options, rep.OptionsUnanswered)
	fmt.Fprintf(stderr, "  %d UAs (%d on TCP, %d TCP connections, %d TCP segments), %s → %s\n",
		rep.UAs, rep.TCPUAs, rep.TCPConnections, rep.TCPSegments, rep.Start.Format(time.RFC3339), rep.End.Format(time.RFC3339))

	if *rtp {
		fmt.Fprintf(stderr, "  %d RTP packets (%d bytes, %.0f%% of the file; %d lost) in %d streams of %d calls (%d one-way), %d DTMF events in %d packets\n",
			rep.RTPPackets, rep.RTPBytes, 100*float64(rep.RTPBytes)/float64(rep.Bytes), rep.RTPLost, rep.RTPStreams, rep.MediaCalls, rep.OneWayCalls, rep.DTMFEvents, rep.DTMFPackets)
	}

	js := *sidecar
	if js == "" && *out != "-" {
		js = *out + ".json"
	}
	if js != "" && js != "none" {
		b, _ := json.MarshalIndent(rep, "", "  ")
		if err := os.WriteFile(js, append(b, '\n'), 0o644); err != nil {
			fmt.Fprintln(stderr, "sipgen:", err)
			return 1
		}
	}
	return 0
}
