package gen

import (
	"bytes"
	"os"
	"path/filepath"

	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
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
	return s, rep, pipeline.Load(r, s)
}

// File writes a generated capture to dir/gen.pcap, for tests that read a
// capture file as sipdbg reads a user's.
func File(dir string, cfg Config) (string, *Report, error) {
	b, rep, err := Capture(cfg)
	if err != nil {
		return "", nil, err
	}
	path := filepath.Join(dir, "gen.pcap")
	return path, rep, os.WriteFile(path, b, 0o600)
}

// Mapped is File opened through a mapping (capture.OpenMapped); the
// reader is nil, with no error, where files are not mapped.
func Mapped(dir string, cfg Config) (*capture.Reader, string, *Report, error) {
	path, rep, err := File(dir, cfg)
	if err != nil {
		return nil, "", nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, "", nil, err
	}
	r := capture.OpenMapped(f, path)
	if r == nil {
		f.Close()
	}
	return r, path, rep, nil
}
