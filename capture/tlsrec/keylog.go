package tlsrec

import (
	"bufio"
	"encoding/hex"
	"errors"
	"io"
	"strconv"
	"strings"
)

// Secrets are the secrets a key log holds for one client random.
type Secrets struct {
	Master   []byte // TLS 1.2 master secret (CLIENT_RANDOM)
	ClientHS []byte // TLS 1.3 CLIENT_HANDSHAKE_TRAFFIC_SECRET
	ServerHS []byte // TLS 1.3 SERVER_HANDSHAKE_TRAFFIC_SECRET
	Client0  []byte // TLS 1.3 CLIENT_TRAFFIC_SECRET_0
	Server0  []byte // TLS 1.3 SERVER_TRAFFIC_SECRET_0
}

// Keylog maps client randoms to their secrets. The zero value is not
// usable; a nil *Keylog holds no keys.
type Keylog struct {
	m map[[32]byte]*Secrets
}

// NewKeylog returns an empty key log.
func NewKeylog() *Keylog { return &Keylog{m: make(map[[32]byte]*Secrets)} }

// Len is the number of client randoms the log has secrets for.
func (k *Keylog) Len() int {
	if k == nil {
		return 0
	}
	return len(k.m)
}

// Lookup returns the secrets of a client random, or nil.
func (k *Keylog) Lookup(clientRandom [32]byte) *Secrets {
	if k == nil {
		return nil
	}
	return k.m[clientRandom]
}

// Merge adds the secrets of o to k; a secret o holds replaces k's.
func (k *Keylog) Merge(o *Keylog) {
	if o == nil {
		return
	}
	for cr, s := range o.m {
		for label, v := range s.all() {
			if v != nil {
				k.set(cr, label, v)
			}
		}
	}
}

func (s *Secrets) all() map[string][]byte {
	return map[string][]byte{
		"CLIENT_RANDOM": s.Master, "CLIENT_HANDSHAKE_TRAFFIC_SECRET": s.ClientHS,
		"SERVER_HANDSHAKE_TRAFFIC_SECRET": s.ServerHS, "CLIENT_TRAFFIC_SECRET_0": s.Client0,
		"SERVER_TRAFFIC_SECRET_0": s.Server0,
	}
}

// set stores one secret; it reports false for a label it does not use.
func (k *Keylog) set(cr [32]byte, label string, v []byte) bool {
	s := k.m[cr]
	if s == nil {
		s = &Secrets{}
	}
	switch label {
	case "CLIENT_RANDOM":
		s.Master = v
	case "CLIENT_HANDSHAKE_TRAFFIC_SECRET":
		s.ClientHS = v
	case "SERVER_HANDSHAKE_TRAFFIC_SECRET":
		s.ServerHS = v
	case "CLIENT_TRAFFIC_SECRET_0":
		s.Client0 = v
	case "SERVER_TRAFFIC_SECRET_0":
		s.Server0 = v
	default:
		return false
	}
	k.m[cr] = s
	return true
}

// maxKeylogLine bounds a line: the longest known one is under 300 bytes.
const maxKeylogLine = 4096

// ParseKeylog reads a key log in the NSS format: one "LABEL <client
// random hex> <secret hex>" a line, "#" comments and blank lines skipped,
// unknown labels (EXPORTER_SECRET, EARLY_*, …) ignored. A bad line is an
// error naming its number; the rest of the file is still read.
func ParseKeylog(r io.Reader) (*Keylog, []error) {
	k := NewKeylog()
	var errs []error
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 512), maxKeylogLine)
	n := 0
	for sc.Scan() {
		n++
		if err := k.parseLine(strings.TrimSpace(sc.Text())); err != nil {
			errs = append(errs, errors.New("key log line "+strconv.Itoa(n)+": "+err.Error()))
		}
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, errors.New("key log after line "+strconv.Itoa(n)+": "+err.Error()))
	}
	return k, errs
}

func (k *Keylog) parseLine(line string) error {
	if line == "" || line[0] == '#' {
		return nil
	}
	f := strings.Fields(line)
	if len(f) != 3 {
		return errors.New("want LABEL CLIENT_RANDOM SECRET, got " + strconv.Itoa(len(f)) + " fields")
	}
	if _, known := (&Secrets{}).all()[f[0]]; !known {
		return nil
	}
	cr, err := hex.DecodeString(f[1])
	if err != nil || len(cr) != 32 {
		return errors.New("client random is not 32 bytes of hex")
	}
	v, err := hex.DecodeString(f[2])
	switch {
	case err != nil:
		return errors.New("secret is not hex")
	case f[0] == "CLIENT_RANDOM" && len(v) != 48:
		return errors.New("master secret is " + strconv.Itoa(len(v)) + " bytes, not 48")
	case len(v) != 32 && len(v) != 48:
		return errors.New("traffic secret is " + strconv.Itoa(len(v)) + " bytes, not 32 or 48")
	}
	k.set([32]byte(cr), f[0], v)
	return nil
}
