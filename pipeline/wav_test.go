package pipeline_test

import (
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// The PCMU and the PCMA stream of the capture, each its own file as long
// as the stream (425 and 414 packets of 20 ms, none lost: tshark), with
// sound in it.
func TestWriteWAVs(t *testing.T) {
	path := filepath.Join(testenv.SharedPcaps(t), "sipnab__sip-rtp-g711.pcap")
	s := loadFile(t, path)
	dir := t.TempDir()
	created := 0
	files, err := pipeline.WriteWAVs(path, s.Streams(), func(st *session.Stream) (io.WriteSeeker, string, error) {
		created++
		name := filepath.Join(dir, strings.ReplaceAll(st.Src.String(), ":", "_")+".wav")
		f, err := os.Create(name)
		return f, name, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || created != 2 {
		t.Fatalf("%d results, %d files", len(files), created)
	}
	want := map[uint32]int{0x343da99b: 425, 0x343ffa34: 414}
	for _, f := range files {
		n := want[f.Stream.SSRC]
		if f.Packets != n || f.Duration != time.Duration(n)*20*time.Millisecond {
			t.Errorf("%s: %d packets, %v", f.Name, f.Packets, f.Duration)
		}
		b, err := os.ReadFile(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) != 44+n*320 || string(b[:4]) != "RIFF" || int(binary.LittleEndian.Uint32(b[40:])) != n*320 {
			t.Errorf("%s: %d bytes, header % x", f.Name, len(b), b[:44])
		}
		loud := 0
		for i := 44; i+1 < len(b); i += 2 {
			if v := int16(binary.LittleEndian.Uint16(b[i:])); v > 1000 || v < -1000 {
				loud++
			}
		}
		if loud < n { // speech or a tone: far more than one loud sample a packet
			t.Errorf("%s: %d loud samples: silence?", f.Name, loud)
		}
	}
}

// A stream with no G.711 payload gets no file.
func TestWriteWAVsCreatesNothingForOpus(t *testing.T) {
	path := filepath.Join(testenv.SharedPcaps(t), "sipnab__sip-rtp-opus-hybrid.pcap")
	s := loadFile(t, path)
	files, err := pipeline.WriteWAVs(path, s.Streams(), func(st *session.Stream) (io.WriteSeeker, string, error) {
		t.Fatalf("a file for %s", st.Codec)
		return nil, "", nil
	})
	if err != nil || len(files) != len(s.Streams()) || len(files) == 0 || files[0].Name != "" {
		t.Fatalf("%v, %+v", err, files)
	}
}
