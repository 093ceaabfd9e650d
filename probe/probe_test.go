package probe

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"

	"github.com/sipdbg/sipdbg/analysis"
)

// authServer is an in-process registrar/UAS for what Kamailio cannot be
// made to do: stale nonces, SHA-256 and -sess, auth-int, userhash. It
// checks each answer by recomputing it (analysis.Compute, itself checked
// against the RFC vectors).
type authServer struct {
	challenge string // parameters after "Digest realm=..., nonce=N, "
	password  string
	staleOnce bool
	mu        sync.Mutex
	nonce     int
	answers   []analysis.Digest
}

func (a *authServer) handle(req *sip.Request, tx sip.ServerTransaction) {
	a.mu.Lock()
	defer a.mu.Unlock()
	h := req.GetHeader("Authorization")
	if h == nil || !a.valid(req, analysis.ParseDigest(h.Value())) {
		a.challengeIt(req, tx, false)
		return
	}
	if a.staleOnce {
		a.staleOnce = false
		a.challengeIt(req, tx, true)
		return
	}
	tx.Respond(sip.NewResponseFromRequest(req, 200, "OK", nil))
}

func (a *authServer) challengeIt(req *sip.Request, tx sip.ServerTransaction, stale bool) {
	a.nonce++
	v := fmt.Sprintf(`Digest realm="test.realm", nonce="n%d", %s`, a.nonce, a.challenge)
	if stale {
		v += ", stale=true"
	}
	res := sip.NewResponseFromRequest(req, 401, "Unauthorized", nil)
	res.AppendHeader(sip.NewHeader("WWW-Authenticate", v))
	tx.Respond(res)
}

func (a *authServer) valid(req *sip.Request, d analysis.Digest) bool {
	a.answers = append(a.answers, d)
	if d.Nonce != fmt.Sprintf("n%d", a.nonce) {
		return false
	}
	user := d.Username
	if d.UserHash {
		if d.Username != analysis.UserHash(d.Alg(), "alice", d.Realm) {
			return false
		}
		user = "alice"
	}
	want, _, err := analysis.Compute(analysis.DigestInput{Method: req.Method.String(), URI: d.URI, Username: user, Realm: d.Realm,
		Secret: analysis.Password(a.password), Nonce: d.Nonce, CNonce: d.CNonce, NC: d.NC, Qop: d.Qop, Algorithm: d.Alg(), Body: req.Body()})
	return err == nil && want == d.Response
}

// seen returns the answers received so far (the server runs in sipgo's
// goroutines).
func (a *authServer) seen() []analysis.Digest {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]analysis.Digest(nil), a.answers...)
}

// sipgo's globals (its tracer, its logger) are set before any test starts
// a sipgo server of its own, whose goroutines read them: as in the
// program, where the first probe is the first use of sipgo.
func init() {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil))) // sipgo's warnings are not the test's
	installTracer()
}

func serve(t *testing.T, a *authServer) string {
	t.Helper()
	ua, _ := sipgo.NewUA()
	srv, err := sipgo.NewServer(ua)
	if err != nil {
		t.Fatal(err)
	}
	srv.OnRegister(a.handle)
	srv.OnInvite(a.handle)
	srv.OnAck(func(*sip.Request, sip.ServerTransaction) {})
	srv.OnBye(func(req *sip.Request, tx sip.ServerTransaction) {
		tx.Respond(sip.NewResponseFromRequest(req, 200, "OK", nil))
	})
	l, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.ServeUDP(l)
	t.Cleanup(func() { l.Close(); ua.Close() })
	return l.LocalAddr().String()
}

func TestProbeDigestVariants(t *testing.T) {
	cases := []struct {
		name, challenge, method string
		stale                   bool
		check                   func(ds []analysis.Digest) string
	}{
		{"MD5 qop=auth", `qop="auth"`, "REGISTER", false, nil},
		{"SHA-256", `algorithm=SHA-256, qop="auth"`, "REGISTER", false, nil},
		{"SHA-512-256-sess", `algorithm=SHA-512-256-sess, qop="auth"`, "REGISTER", false, nil},
		{"MD5-sess without qop", `algorithm=MD5-sess`, "REGISTER", false, nil},
		{"RFC 2069, no qop", ``, "REGISTER", false, nil},
		{"auth-int over the SDP", `qop="auth-int"`, "INVITE", false, func(ds []analysis.Digest) string {
			if ds[len(ds)-1].Qop != "auth-int" {
				return "answered with qop " + ds[len(ds)-1].Qop
			}
			return ""
		}},
		{"userhash", `algorithm=SHA-256, qop="auth", userhash=true`, "REGISTER", false, nil},
		{"stale=true retried silently", `qop="auth"`, "REGISTER", true, func(ds []analysis.Digest) string {
			if len(ds) != 2 || ds[1].Nonce == ds[0].Nonce {
				return fmt.Sprintf("%d answers", len(ds))
			}
			return ""
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := &authServer{challenge: c.challenge, password: "s3cret", staleOnce: c.stale}
			addr := serve(t, a)
			cfg := Config{Method: c.method, Target: "sip:alice@test.realm", From: "sip:alice@test.realm", Server: addr,
				Transport: "udp", Timeout: 5 * time.Second, Expires: 60,
				Credentials: []analysis.Credential{{Realm: "*", User: "alice", Secret: analysis.Password("s3cret")}}}
			res := Run(context.Background(), cfg, nil)
			if res.Outcome != OutcomeOK || res.Final != 200 {
				t.Fatalf("%s %d: %s", res.Outcome, res.Final, res.Reason)
			}
			if c.check != nil {
				if why := c.check(a.seen()); why != "" {
					t.Error(why)
				}
			}
		})
	}
}

func TestProbeStopsOnRefusal(t *testing.T) {
	a := &authServer{challenge: `qop="auth"`, password: "other"}
	addr := serve(t, a)
	cfg := Config{Method: "REGISTER", Target: "sip:alice@test.realm", Server: addr, Transport: "udp", Timeout: 5 * time.Second,
		Credentials: []analysis.Credential{{Realm: "*", User: "alice", Secret: analysis.Password("s3cret")}}}
	res := Run(context.Background(), cfg, nil)
	if res.Outcome != OutcomeRejected || res.Final != 401 || !strings.Contains(res.Reason, "refused") {
		t.Fatalf("%s %d: %s", res.Outcome, res.Final, res.Reason)
	}
	if n := len(a.seen()); n != 1 {
		t.Errorf("%d answers sent: one attempt per invocation, never a loop over passwords", n)
	}
}
