package gen

import (
	"bytes"

	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/session/capture"
)

// Capture generates a capture in memory and returns it with a reader
// over it, for tests that want the bytes or to stream them.
func Capture(cfg Config) ([]byte, *Report, error) {
	var buf bytes.Buffer
	rep, err := Generate(&buf, cfg)
	return buf.Bytes(), rep, err
}

// Store generates a capture in memory and loads it into a store, for
// tests that want realistic calls of every kind.
func Store(cfg Config) (*session.Store, *Report, error) {
	b, rep, err := Capture(cfg)
	if err != nil {
		return nil, nil, err
	}
	r, err := capture.NewReader(bytes.NewReader(b), "gen.pcap", int64(len(b)))
	if err != nil {
		return nil, nil, err
	}
	s := session.NewStore()
	return s, rep, session.Load(r, s)
}
