package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/sipdbg/sipdbg/internal/testkit/pcaptest"
)

// A compressed capture that inflates a thousandfold is read up to a
// bound, then reported with a warning that names the bound and what to
// do; the calls read before it are there.
func TestGzipBombIsBounded(t *testing.T) {
	var raw bytes.Buffer
	w := pcapgo.NewWriterNanos(&raw)
	w.WriteFileHeader(65536, layers.LinkTypeEthernet)
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	add := func(frame []byte) {
		w.WritePacket(gopacket.CaptureInfo{Timestamp: at, CaptureLength: len(frame), Length: len(frame)}, frame)
	}
	add(pcaptest.UDP(pcaptest.Addr("10.0.0.1:5060"), pcaptest.Addr("10.0.0.2:5060"), pcaptest.Request("OPTIONS", "first-call", "z9hG4bK1", 1, "")))
	junk := pcaptest.UDP(pcaptest.Addr("10.0.0.1:4000"), pcaptest.Addr("10.0.0.2:4000"), make([]byte, 60000))
	for range 1500 { // 90 MB of zeros: a few hundred kB compressed
		add(junk)
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(raw.Bytes())
	zw.Close()
	path := filepath.Join(t.TempDir(), "bomb.pcap.gz")
	if err := os.WriteFile(path, gz.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := sipdbg(t, nil, "report", path)
	if code != 0 || !strings.Contains(out, "first-call") {
		t.Fatalf("exit %d; the call before the bound is not reported:\n%s\n%s", code, out, errs)
	}
	t.Log(strings.TrimSpace(errs))
	if !strings.Contains(errs, "more than 64 MiB once decompressed") || !strings.Contains(errs, "gunzip it") {
		t.Errorf("the warning does not name the bound and what to do: %q", errs)
	}
}

// paste reads at most maxPasteInput bytes, and says so past it.
func TestPasteIsBounded(t *testing.T) {
	code, _, errs := sipdbg(t, make([]byte, maxPasteInput+10), "paste")
	if code != exitUsage || !strings.Contains(errs, "more than 64 MiB on standard input") || !strings.Contains(errs, "save it to a file") {
		t.Errorf("exit %d, %q", code, errs)
	}
}
