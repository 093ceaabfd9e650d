package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/probe"
	"github.com/sipdbg/sipdbg/report"
	"github.com/sipdbg/sipdbg/session"
)

// Exit statuses of probe (the contract): 0 accepted, 1 rejected,
// 2 no answer or network failure, 64 usage.
const (
	probeOK       = 0
	probeRejected = 1
	probeNoAnswer = 2
	probeUsage    = 64
)

const probeUsageText = `usage: sipdbg probe register|invite|options TARGET [--server HOST[:PORT]] [--transport udp|tcp|tls|ws|wss] [--dns HOST:PORT]
       [--insecure] [--ca FILE] [--from URI] [--user USER] [--password-env VAR | --credentials FILE] [--timeout 10s]
       [--expires 60] [--unregister] [--json] [--save FILE.pcap]`

// probeFlags are probe's flags: most of them fill the probe's Config.
type probeFlags struct {
	cfg    probe.Config
	asJSON *bool
	save   *string
	cf     credFlags
	keylog *string
}

func probeFlagSet() (*flag.FlagSet, *probeFlags) {
	fs := flag.NewFlagSet("probe", flag.ContinueOnError)
	pf := &probeFlags{}
	cfg := &pf.cfg
	fs.StringVar(&cfg.Server, "server", "", "where to send (outbound proxy or registrar), host[:port]; default: TARGET's host, with RFC 3263 NAPTR/SRV/A lookups when no port is given")
	fs.StringVar(&cfg.Transport, "transport", "", "udp, tcp, tls, ws or wss (default: udp unless DNS NAPTR/SRV says otherwise; tls for a sips: target)")
	fs.StringVar(&cfg.DNS, "dns", "", "ask this DNS server (host:port) instead of the system's (/etc/resolv.conf)")
	fs.BoolVar(&cfg.Insecure, "insecure", false, "TLS: do not verify the server's certificate")
	fs.StringVar(&cfg.CAFile, "ca", "", "TLS: also trust the CA certificate(s) in this PEM file")
	fs.StringVar(&cfg.From, "from", "", "From URI (default: the target for register)")
	fs.DurationVar(&cfg.Timeout, "timeout", 10*time.Second, "for the whole exchange")
	fs.IntVar(&cfg.Expires, "expires", 60, "REGISTER expiry in seconds")
	fs.BoolVar(&cfg.Unregister, "unregister", false, "after a successful REGISTER, send Expires: 0")
	pf.asJSON = fs.Bool("json", false, "print the report document of the exchange with its result")
	pf.save = fs.String("save", "", "write the exchange as a pcap file")
	pf.keylog = fs.String("keylog", "", "TLS: append the connection's secrets to this file (NSS key log format), to read a capture of the probe decrypted")
	pf.cf = addCredFlags(fs)
	return fs, pf
}

func runProbe(args []string, stdout, stderr io.Writer) int {
	fs, pf := probeFlagSet()
	pos, err := parseArgs(fs, args, stdout, stderr)
	cfg, asJSON, save, cf := pf.cfg, pf.asJSON, pf.save, pf.cf
	if err != nil {
		return flagExit(err, probeUsage)
	}
	if len(pos) == 0 && isTerminal(stdout) {
		cfg.User = *cf.user
		return probeForm(cfg, stderr) // the "sipdbg probe with no method"
	}
	if len(pos) != 2 {
		fmt.Fprintln(stderr, probeUsageText)
		return probeUsage
	}
	cfg.Method, cfg.Target, cfg.User = strings.ToUpper(pos[0]), pos[1], *cf.user
	if msg := checkProbe(cfg); msg != "" {
		fmt.Fprintln(stderr, "sipdbg probe:", msg)
		return probeUsage
	}
	if cfg.Credentials, err = cf.load(); err != nil {
		fmt.Fprintln(stderr, "sipdbg probe:", err)
		return probeUsage
	}
	if *pf.keylog != "" {
		// Appended, owner-only: the secrets decrypt the exchange, which
		// carries the credentials' digests.
		f, err := os.OpenFile(*pf.keylog, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			fmt.Fprintln(stderr, "sipdbg probe: --keylog:", err)
			return probeUsage
		}
		defer f.Close()
		cfg.KeyLog = f
	}
	res := runTraced(cfg)
	return reportProbe(cfg, res, *asJSON, *save, stdout, stderr)
}

func checkProbe(cfg probe.Config) string {
	switch {
	case cfg.Method != "REGISTER" && cfg.Method != "INVITE" && cfg.Method != "OPTIONS":
		return "the method is register, invite or options, not " + strings.ToLower(cfg.Method)
	case cfg.Transport != "" && cfg.Transport != "udp" && cfg.Transport != "tcp" && cfg.Transport != "tls" && cfg.Transport != "ws" && cfg.Transport != "wss":
		return "--transport is udp, tcp, tls, ws or wss"
	case cfg.DNS != "" && !hostPort(cfg.DNS):
		return "--dns is HOST:PORT (e.g. 127.0.0.1:53)"
	case cfg.Method == "INVITE" && cfg.From == "":
		return "invite needs --from (who calls)"
	case cfg.Timeout <= 0:
		return "--timeout must be positive"
	}
	return ""
}

// runTraced runs a probe (sipgo's tracer and logger are the probe's
// business, never the terminal's).
func runTraced(cfg probe.Config) probe.Result {
	return probe.Run(context.Background(), cfg, nil)
}

// runTracedWatch is runTraced with the exchange reported to progress as
// it happens (the interface draws it live).
func runTracedWatch(cfg probe.Config, progress func([]probe.Record)) probe.Result {
	return probe.Run(context.Background(), cfg, progress)
}

func reportProbe(cfg probe.Config, res probe.Result, asJSON bool, save string, stdout, stderr io.Writer) int {
	code := map[string]int{probe.OutcomeOK: probeOK, probe.OutcomeRejected: probeRejected,
		probe.OutcomeNoAnswer: probeNoAnswer, probe.OutcomeError: probeNoAnswer}[res.Outcome]
	if save != "" {
		f, err := os.OpenFile(save, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600) // owner only: digests to attack offline
		if err == nil {
			err = probe.Pcap(res.Records, f)
			f.Close()
		}
		if err != nil {
			fmt.Fprintln(stderr, "sipdbg probe: saving:", err)
		}
	}
	store, err := probe.Store(res.Records)
	if err != nil {
		fmt.Fprintln(stderr, "sipdbg probe: reading the exchange:", err)
		store = session.NewStore()
	}
	// No password checks: the probe computed the credentials from these very
	// passwords, so they would only confirm themselves.
	opt := analysis.Options{StopsAfterRejection: true}
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	if asJSON {
		writeProbeJSON(w, store, opt, res)
	} else {
		report.Text(w, store, opt, false)
		writeServer(w, res.Server)
		fmt.Fprintf(w, "Result: %s (%s)\n", res.Outcome, res.Reason+credentialsHint(res))
	}
	if code != probeOK {
		fmt.Fprintln(stderr, "sipdbg probe:", res.Outcome+":", res.Reason+credentialsHint(res)+topFinding(store, opt))
	}
	return code
}

// topFinding names the verdict of the exchange, for the one-line error:
// the first error verdict of its calls.
func topFinding(s *session.Store, opt analysis.Options) string {
	for _, c := range s.Calls() {
		if v := analysis.VerdictOf(analysis.Diagnose(s, c, opt)); v != nil && v.Severity == analysis.Error {
			return " [" + string(v.Code) + ": " + v.Summary + "]"
		}
	}
	return ""
}

// hostPort tells whether s is host:port with a numeric port.
func hostPort(s string) bool {
	h, p, err := net.SplitHostPort(s)
	n, perr := strconv.Atoi(p)
	return err == nil && h != "" && perr == nil && n > 0 && n < 65536
}

// writeServer says where the request went and how that was found (the
// RFC 3263 lookups), and, after a failover, every target tried.
func writeServer(w io.Writer, s probe.Server) {
	trace := ""
	if len(s.Trace) > 0 {
		trace = " (" + strings.Join(s.Trace, "; ") + ")"
	}
	if s.Address == "" {
		fmt.Fprintf(w, "Server: none found%s\n", trace)
		return
	}
	fmt.Fprintf(w, "Server: %s %s via %s%s\n", s.Transport, s.Address, s.Via, trace)
	if len(s.Tried) > 1 {
		tried := make([]string, len(s.Tried))
		for i, t := range s.Tried {
			tried[i] = t.Transport + " " + t.Addr
			if t.Failure != "" {
				tried[i] += " (" + t.Failure + ")"
			} else {
				tried[i] += " (answered)"
			}
		}
		fmt.Fprintf(w, "Tried: %s\n", strings.Join(tried, ", then "))
	}
}

// serverJSON is the "server" object of --json.
type serverJSON struct {
	Address   string      `json:"address"`
	Transport string      `json:"transport"`
	Via       string      `json:"via"`
	Tried     []triedJSON `json:"tried"`
	Trace     []string    `json:"trace"`
}

type triedJSON struct {
	Address   string `json:"address"`
	Transport string `json:"transport"`
	Via       string `json:"via"`
	Host      string `json:"host"`
	Error     string `json:"error,omitempty"`
}

func toServerJSON(s probe.Server) serverJSON {
	out := serverJSON{Address: s.Address, Transport: s.Transport, Via: s.Via, Tried: []triedJSON{}, Trace: s.Trace}
	if out.Trace == nil {
		out.Trace = []string{}
	}
	for _, t := range s.Tried {
		out.Tried = append(out.Tried, triedJSON{Address: t.Addr, Transport: t.Transport, Via: t.Via, Host: t.Host, Error: t.Failure})
	}
	return out
}

func writeProbeJSON(w io.Writer, s *session.Store, opt analysis.Options, res probe.Result) {
	doc := struct {
		Result      string          `json:"result"`
		FinalStatus uint16          `json:"final_status"`
		Reason      string          `json:"reason"`
		Server      serverJSON      `json:"server"`
		Calls       json.RawMessage `json:"calls"` // as the report writes them
	}{Result: res.Outcome, FinalStatus: res.Final, Reason: res.Reason, Server: toServerJSON(res.Server), Calls: report.CallsJSON(s, opt)}
	b, _ := json.Marshal(doc)
	w.Write(append(b, '\n'))
}

// credentialsHint says how to give the credentials a realm asked for, on
// the command line.
func credentialsHint(res probe.Result) string {
	if res.MissingRealm == "" {
		return ""
	}
	return " (give them with --credentials)"
}
