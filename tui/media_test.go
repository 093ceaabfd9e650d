package tui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/testkit/golden"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/tui/calllist"
	"github.com/sipdbg/sipdbg/tui/keys"
)

// mediaCapture is a committed capture of the media lab (real baresip
// calls through Kamailio, with their RTP).
func mediaCapture(t *testing.T, name string) string {
	t.Helper()
	return filepath.Join(testenv.Root(t), "testdata", "captures", "media", name)
}

// sizedModel opens path at w×h, read whole, the file known (for W).
func sizedModel(t *testing.T, path string, w, h int) Model {
	t.Helper()
	r, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	m := New(filepath.Base(path), pipeline.Stream(ctx, r, 1), 1, analysis.Options{}).WithFile(path)
	m.saveDir = t.TempDir()
	return drive(t, m, w, h)
}

// mergedCapture writes the committed captures names one after the other
// into one pcap (they were recorded in that order, one call each, on the
// same link type), for a list of calls with and without media.
func mergedCapture(t *testing.T, names ...string) string {
	t.Helper()
	var out []byte
	for i, n := range names {
		b, err := os.ReadFile(mediaCapture(t, n))
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			out = append(out, b...)
			continue
		}
		if !bytes.Equal(b[:24], out[:24]) {
			t.Fatalf("%s: another pcap header", n)
		}
		out = append(out, b[24:]...)
	}
	path := filepath.Join(t.TempDir(), "calls.pcap")
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkScreen checks the view's size and compares it with its golden.
func checkScreen(t *testing.T, m Model, name string, w, h int) string {
	t.Helper()
	view := m.View().Content
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Errorf("%d lines, screen %d", len(lines), h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("line %d is %d cells wide, screen %d", i, n, w)
		}
	}
	golden.Check(t, filepath.Join("media", name+"-"+strconv.Itoa(w)+"x"+strconv.Itoa(h)), view)
	return stripSGR(view)
}

// rtpRow moves the flow's selection to its first RTP row.
func rtpRow(t *testing.T, m Model) Model {
	t.Helper()
	for range len(m.cv.flow.Ladder.Rows) {
		if r := m.cv.flow.SelectedRow(); r != nil && r.Stream != nil {
			return m
		}
		m = drive(t, m, m.width, m.height, press("j"))
	}
	t.Fatal("no RTP row in the ladder")
	return m
}

// The media in the interface, at the two sizes: the ladder's RTP arrows
// with an RTP row selected (its statistics in the message pane), the
// streams pane, and the call list with the Media column.
func TestMediaScreensGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		w, h := size[0], size[1]
		t.Run("ladder-"+strconv.Itoa(w), func(t *testing.T) {
			m := sizedModel(t, mediaCapture(t, "dtmf.pcap"), w, h)
			m = rtpRow(t, drive(t, m, w, h, press("enter")))
			v := checkScreen(t, m, "ladder-rtp", w, h)
			for _, want := range []string{"RTP PCMU", "SSRC 0x", "MOS", "Jitter"} {
				if !strings.Contains(v, want) {
					t.Errorf("no %q on the screen", want)
				}
			}
		})
		t.Run("streams-"+strconv.Itoa(w), func(t *testing.T) {
			m := sizedModel(t, mediaCapture(t, "media-loss.pcap"), w, h)
			m = drive(t, m, w, h, presses("enter", "m")...)
			if !m.showing(keys.Streams) {
				t.Fatalf("m opened the %v", m.screen())
			}
			v := checkScreen(t, m, "streams", w, h)
			if !strings.Contains(v, "×") || !strings.Contains(v, "MOS") {
				t.Error("no loss mark or no MOS column")
			}
			m = drive(t, m, w, h, press("tab"))
			checkScreen(t, m, "streams-jitter", w, h)
		})
		t.Run("list-"+strconv.Itoa(w), func(t *testing.T) {
			m := sizedModel(t, mergedCapture(t, "clean-call.pcap", "one-way-media.pcap", "no-media.pcap", "media-loss.pcap", "srtp-mismatch.pcap"), w, h)
			cols := []calllist.Column{}
			for _, n := range []string{"#", "Time", "From", "To", "State", "Codec", "Media", "Verdict"} {
				c, err := calllist.Builtin(n)
				if err != nil {
					t.Fatal(err)
				}
				cols = append(cols, c)
			}
			m.cv.list.SetColumns(cols)
			v := checkScreen(t, m, "list-media", w, h)
			for _, want := range []string{" ✓ ", " → ", " ✗ "} {
				if !strings.Contains(v, want) {
					t.Errorf("no %q mark in the Media column", want)
				}
			}
		})
	}
}

// m opens the streams pane over the flow, on the RTP row's stream; esc
// and q go back to the flow; its help lists its keys.
func TestStreamsPaneKeys(t *testing.T) {
	m := sizedModel(t, mediaCapture(t, "clean-call.pcap"), 120, 40)
	m = rtpRow(t, drive(t, m, 120, 40, press("enter")))
	m = drive(t, m, 120, 40, press("j")) // the second stream
	sel := m.cv.flow.SelectedRow().Stream
	for _, back := range []string{"esc", "q"} {
		p := drive(t, m, 120, 40, press("m"))
		s, ok := p.top().(*streamsScreen)
		if !ok || s.pane.Selected() != sel || len(s.pane.Streams) != 2 {
			t.Fatalf("m: %T, the stream of the RTP row not selected", p.top())
		}
		p = drive(t, p, 120, 40, press(back))
		if !p.showing(keys.Flow) {
			t.Errorf("%s: the %v, want the flow", back, p.screen())
		}
	}
	p := drive(t, m, 120, 40, presses("m", "?")...)
	if v := stripSGR(p.View().Content); !strings.Contains(v, "Keys: media streams") || !strings.Contains(v, "packets ⇄ jitter") {
		t.Errorf("the streams pane's help:\n%s", v)
	}
}

// W in the flow, and in the streams pane, writes the call's G.711
// streams as WAV files in the save directory and says so on the status
// line; S is still the save dialog.
func TestWAVKey(t *testing.T) {
	if !key.Matches(press("W"), keys.Default().Wav) || key.Matches(press("S"), keys.Default().Wav) {
		t.Fatal("W is not the WAV key")
	}
	for _, ks := range [][]string{{"enter", "W"}, {"enter", "m", "W"}} {
		m := sizedModel(t, mediaCapture(t, "clean-call.pcap"), 120, 40)
		m = drive(t, m, 120, 40, presses(ks[:len(ks)-1]...)...)
		tm, cmd := m.Update(press(ks[len(ks)-1]))
		if cmd == nil {
			t.Fatalf("%v: no command", ks)
		}
		tm, _ = tm.Update(cmd())
		m = tm.(Model)
		files, _ := filepath.Glob(filepath.Join(m.saveDir, "*.wav"))
		if len(files) < 2 || !strings.Contains(stripSGR(m.statusLine()), "Saved 2 WAV files in "+m.saveDir) {
			t.Errorf("%v: %v, status %q", ks, files, stripSGR(m.statusLine()))
		}
	}
	m := sizedModel(t, mediaCapture(t, "clean-call.pcap"), 120, 40)
	if m = drive(t, m, 120, 40, presses("enter", "S")...); !m.showing(keys.Save) {
		t.Errorf("S in the flow opened the %v", m.screen())
	}
}
