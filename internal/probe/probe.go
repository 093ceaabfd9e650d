// Package probe sends one test request (REGISTER, INVITE or OPTIONS)
// with the credentials given, answers 401/407 challenges (several realms
// at once, per RFC 3261 §22.3), ends an INVITE cleanly, and records every
// message on the wire so that the exchange gets the same session, ladder
// and findings as a capture. It is a diagnostic: one attempt, each
// challenge answered once (plus one silent retry on stale=true), never a
// loop over passwords.
package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
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
	Transport   string // udp or tcp
	From        string // SIP URI; default the target (REGISTER)
	User        string // digest username; default the From user
	Credentials []analysis.Credential
	Timeout     time.Duration // for the whole exchange
	Expires     int           // REGISTER
	Unregister  bool          // after a successful REGISTER, remove the binding
	Insecure    bool          // TLS: do not verify the server's certificate
	CAFile      string        // TLS: also trust this CA (PEM)
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
	Records []Record
}

// maxAttempts bounds the exchange: the first request, one answer per
// challenging element (proxy and registrar), one stale retry.
const maxAttempts = 4

// Run performs the probe, recording through tr (installed as sipgo's
// tracer by the caller).
func Run(ctx context.Context, cfg Config, tr *Tracer) Result {
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	tr.Start()
	res := run(ctx, cfg)
	time.Sleep(50 * time.Millisecond) // let the last ACK/BYE reach the tracer
	res.Records = tr.Stop()
	return res
}

func run(ctx context.Context, cfg Config) Result {
	p, err := newSession(cfg)
	if err != nil {
		return Result{Outcome: OutcomeError, Reason: err.Error()}
	}
	defer p.close()
	return p.exchange(ctx)
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
}

func newSession(cfg Config) (*prober, error) {
	p := &prober{cfg: cfg, auth: map[string]*realmAuth{}, nc: map[string]int{}, callID: sip.GenerateTagN(16) + "@sipdbg",
		fromTag: sip.GenerateTagN(10), cseq: 1}
	if err := sip.ParseUri(cfg.Target, &p.target); err != nil {
		return nil, fmt.Errorf("target %q is not a SIP URI: %v", cfg.Target, err)
	}
	from := cfg.From
	if from == "" {
		from = cfg.Target
	}
	if err := sip.ParseUri(from, &p.from); err != nil {
		return nil, fmt.Errorf("from %q is not a SIP URI: %v", from, err)
	}
	server, err := resolve(cfg.Server, p.target, cfg.Transport)
	if err != nil {
		return nil, err
	}
	p.server = server
	local, err := localAddr(server, cfg.Transport)
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

// resolve returns the ip:port to send to: --server, or the target's
// host, with the transport's default port (RFC 3263 lookups are a later
// step). DNS failures are said as such.
func resolve(server string, target sip.Uri, transport string) (string, error) {
	host, port := server, ""
	if server == "" {
		host = target.Host
		if target.Port > 0 {
			port = strconv.Itoa(target.Port)
		}
	} else if h, pt, err := net.SplitHostPort(server); err == nil {
		host, port = h, pt
	}
	if port == "" {
		port = defaultPorts[transport] // RFC 3261 §19.1.2, RFC 7118 §5 (HTTP ports)
	}
	ips, err := net.LookupIP(host)
	if err != nil || len(ips) == 0 {
		return "", fmt.Errorf("DNS: cannot resolve %q: %v", host, err)
	}
	return net.JoinHostPort(ips[0].String(), port), nil
}

// localAddr finds the address the kernel would send from, with a free
// port, so that Via and Contact name it.
func localAddr(server, transport string) (string, error) {
	c, err := net.Dial("udp", server)
	if err != nil {
		return "", fmt.Errorf("no route to %s: %v", server, err)
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

var errNoAnswer = errors.New("no answer")

var defaultPorts = map[string]string{"": "5060", "udp": "5060", "tcp": "5060", "tls": "5061", "ws": "80", "wss": "443"}

// realmAuth is a realm's last challenge and the credentials that answer
// it; each request recomputes the answer (its own nc and cnonce).
type realmAuth struct {
	ch     analysis.Digest
	header string // Authorization or Proxy-Authorization
	user   string
	secret analysis.Secret
}
