// Package probe sends one test request (REGISTER, INVITE or OPTIONS)
// with the credentials given, answers 401/407 challenges (several realms
// at once, per RFC 3261 §22.3), ends an INVITE cleanly, and records every
// message on the wire so that the exchange gets the same session, ladder
// and findings as a capture. It is a diagnostic: one attempt, each
// challenge answered once (plus one silent retry on stale=true), never a
// loop over passwords.
//
// It imports analysis, session, pipeline and capture (to read back what
// it recorded), report/export and siplex (to read the branch and CSeq of
// what sipgo traced); never the interface. It is the only
// package that speaks SIP through sipgo (and owns sipgo's process-wide
// tracer: see wire).
package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"

	"github.com/sipdbg/sipdbg/analysis"
)

// Config is what to send, where, and with which credentials.
type Config struct {
	Method      string // REGISTER, INVITE or OPTIONS
	Target      string // SIP URI: the AOR to register, the user to call
	Server      string // host[:port] to send to; default the target's host
	Transport   string // udp, tcp, tls, ws or wss; "" lets DNS choose (RFC 3263 §4.1), else UDP
	DNS         string // host:port of the name server to ask; "" the system's
	From        string // SIP URI; default the target (REGISTER)
	User        string // digest username; default the From user
	Credentials []analysis.Credential
	Timeout     time.Duration // for the whole exchange
	Expires     int           // REGISTER
	Unregister  bool          // after a successful REGISTER, remove the binding
	Insecure    bool          // TLS: do not verify the server's certificate
	CAFile      string        // TLS: also trust this CA (PEM)
	// KeyLog, when set, receives the TLS secrets of each connection in
	// the NSS key log format (crypto/tls Config.KeyLogWriter), so that a
	// capture of the probe can be read decrypted (sipdbg --keylog,
	// Wireshark's tls.keylog_file).
	KeyLog io.Writer
}

// Outcome of a probe, in the words of --json.
const (
	OutcomeOK       = "ok"
	OutcomeRejected = "rejected"
	OutcomeNoAnswer = "no-answer"
	OutcomeError    = "error"
)

// Result is what happened.
type Result struct {
	Outcome string
	Final   uint16 // final status of the last attempt (0: none)
	Reason  string // its status line, or what failed
	// MissingRealm is the realm that challenged with no credentials given
	// for it ("" when none did): the command line and the form each say
	// how to give them.
	MissingRealm string
	Records      []Record
	Server       Server // where it went, and how that was found
}

// Server tells where the request went: the target of the exchange (the
// last one tried), how it was found, every target tried before it
// (RFC 3263 §4.3 failover) and the DNS lookups that led there.
type Server struct {
	Address   string // ip:port ("" when none was found)
	Transport string // udp, tcp, tls, ws, wss
	Via       string // ViaNAPTR, ViaSRV, ViaA or ViaLiteral
	Tried     []Tried
	Trace     []string
}

// Tried is one target the request was sent to.
type Tried struct {
	Target
	Failure string // what failed before any response; "" when it answered
}

// maxAttempts bounds the exchange: the first request, one answer per
// challenging element (proxy and registrar), one stale retry.
const maxAttempts = 4

// sipgo reports every message it writes or reads to one process-wide
// tracer (sip.SIPDebug, sip.SIPDebugTracer) and logs through a
// process-wide default logger: both are sipgo's globals, with no
// per-client option. The probe is sipdbg's only sipgo user: the first Run
// installs its recorder and a silent logger, once (sipgo reads them
// unguarded from the goroutines of an earlier probe's client, still
// winding down), and probes run one at a time, so that a recording holds
// one probe's messages. This is the one piece of mutable package state
// outside sync.Pools, and it mirrors sipgo's own.
var wire struct {
	once   sync.Once
	tracer *Tracer
	run    sync.Mutex
}

func installTracer() *Tracer {
	wire.once.Do(func() {
		wire.tracer = NewTracer()
		sip.SIPDebug = true
		sip.SIPDebugTracer(wire.tracer)
		sip.SetDefaultLogger(slog.New(slog.DiscardHandler))
	})
	return wire.tracer
}

// Run performs the probe and returns what happened with every message on
// the wire. progress, when not nil, is called with the recording so far
// after each message (on sipgo's goroutines: it must not block), so that
// a view can show the exchange as it happens.
func Run(ctx context.Context, cfg Config, progress func([]Record)) Result {
	tr := installTracer()
	wire.run.Lock()
	defer wire.run.Unlock()
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	tr.Watch(progress)
	defer tr.Watch(nil)
	tr.Start()
	res := run(ctx, cfg)
	time.Sleep(50 * time.Millisecond) // let the last ACK/BYE reach the tracer
	res.Records = tr.Stop()
	return res
}

func run(ctx context.Context, cfg Config) Result {
	var target sip.Uri
	if err := sip.ParseUri(cfg.Target, &target); err != nil {
		return Result{Outcome: OutcomeError, Reason: fmt.Sprintf("target %q is not a SIP URI: %v", cfg.Target, err)}
	}
	loc, err := (&Locator{DNS: cfg.DNS}).Locate(ctx, target, cfg.Server, cfg.Transport)
	srv := Server{Trace: loc.Trace}
	if err != nil {
		return Result{Outcome: OutcomeError, Reason: err.Error(), Server: srv}
	}
	// RFC 3263 §4.3: a transport failure, or no response at all, sends the
	// request (a new transaction: same Call-ID, CSeq and tags, a new
	// branch) to the next target. Each target but the last waits its share
	// of the time left; the first response of any kind ends the failover.
	// Only a failure said as no-answer (refused, unreachable, silent) moves
	// on: a TLS certificate problem is the configuration's, not the
	// target's, and is reported as it is.
	ids := newIDs()
	var res Result
	for i, t := range loc.Targets {
		srv.Address, srv.Transport, srv.Via = t.Addr, t.Transport, t.Via
		srv.Tried = append(srv.Tried, Tried{Target: t})
		p, err := newSession(cfg, target, t, ids)
		if err != nil {
			var op *net.OpError
			if !errors.As(err, &op) { // not the network's doing: no other target helps
				return Result{Outcome: OutcomeError, Reason: err.Error(), Server: srv}
			}
			res = Result{Outcome: OutcomeError, Reason: err.Error()} // no route to it: a transport failure
		} else {
			if i < len(loc.Targets)-1 {
				if d, ok := ctx.Deadline(); ok {
					p.firstWait = time.Until(d) / time.Duration(len(loc.Targets)-i)
				}
			}
			res = p.exchange(ctx)
			p.close()
			if p.answered || res.Outcome != OutcomeNoAnswer {
				res.Server = srv
				return res
			}
		}
		srv.Tried[i].Failure = res.Reason
		if ctx.Err() != nil {
			break
		}
	}
	if len(srv.Tried) > 1 {
		res.Reason += fmt.Sprintf(" (%d targets tried)", len(srv.Tried))
	}
	res.Server = srv
	return res
}

// ids are what stays the same when the request goes to the next target.
type ids struct{ callID, fromTag string }

func newIDs() ids {
	return ids{callID: sip.GenerateTagN(16) + "@sipdbg", fromTag: sip.GenerateTagN(10)}
}

// prober is one probe's state.
type prober struct {
	cfg     Config
	ua      *sipgo.UserAgent
	cli     *sipgo.Client
	local   string // ip:port we send from
	server  string // ip:port we send to
	target  sip.Uri
	from    sip.Uri
	callID  string
	fromTag string
	cseq    int
	auth    map[string]*realmAuth // realm → what answers its challenge, sent with every retry (§22.3)
	nc      map[string]int        // nonce → uses, for nc (RFC 7616 §3.4)
	stale   bool
	missing string // a realm that challenged with no credentials for it

	tp string // the transport to the server: udp, tcp, tls, ws, wss
	// firstWait bounds the wait for a first response when another target
	// could be tried (0: the whole timeout); answered says one came.
	firstWait time.Duration
	answered  bool
}

func newSession(cfg Config, target sip.Uri, t Target, id ids) (*prober, error) {
	p := &prober{cfg: cfg, auth: map[string]*realmAuth{}, nc: map[string]int{}, callID: id.callID,
		fromTag: id.fromTag, cseq: 1, target: target, server: t.Addr, tp: t.Transport}
	from := cfg.From
	if from == "" {
		from = cfg.Target
	}
	if err := sip.ParseUri(from, &p.from); err != nil {
		return nil, fmt.Errorf("from %q is not a SIP URI: %v", from, err)
	}
	local, err := localAddr(p.server, p.tp)
	if err != nil {
		return nil, err
	}
	p.local = local
	host, port, _ := net.SplitHostPort(local)
	pn, _ := strconv.Atoi(port)
	tlsConf, err := tlsConfig(cfg, p.target.Host)
	if err != nil {
		return nil, err
	}
	if p.ua, err = sipgo.NewUA(sipgo.WithUserAgent("sipdbg"), sipgo.WithUserAgentHostname(host), sipgo.WithUserAgenTLSConfig(tlsConf)); err != nil {
		return nil, err
	}
	p.cli, err = sipgo.NewClient(p.ua, sipgo.WithClientHostname(host), sipgo.WithClientPort(pn), sipgo.WithClientConnectionAddr(local))
	if err != nil {
		p.ua.Close()
		return nil, err
	}
	return p, nil
}

func (p *prober) close() { p.ua.Close() }

// localAddr finds the address the kernel would send from, with a free
// port, so that Via and Contact name it.
func localAddr(server, transport string) (string, error) {
	c, err := net.Dial("udp", server)
	if err != nil {
		return "", fmt.Errorf("no route to %s: %w", server, err)
	}
	ip := c.LocalAddr().(*net.UDPAddr).IP.String()
	c.Close()
	if transport != "udp" && transport != "" {
		l, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
		if err != nil {
			return "", err
		}
		defer l.Close()
		return l.Addr().String(), nil
	}
	l, err := net.ListenPacket("udp", net.JoinHostPort(ip, "0"))
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.LocalAddr().String(), nil
}

var (
	errNoAnswer   = errors.New("no answer")
	errUDPRefused = errors.New("ICMP port unreachable")
)

var defaultPorts = map[string]string{"": "5060", "udp": "5060", "tcp": "5060", "tls": "5061", "ws": "80", "wss": "443"}

// realmAuth is a realm's last challenge and the credentials that answer
// it; each request recomputes the answer (its own nc and cnonce).
type realmAuth struct {
	ch     analysis.Digest
	header string // Authorization or Proxy-Authorization
	user   string
	secret analysis.Secret
}
