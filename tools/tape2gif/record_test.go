package main

import (
	"bytes"
	"context"
	"image/gif"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRecorderShownClock(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	r := newRecorder()
	r.add(at(0), "hidden at start") // not shown yet: dropped
	r.show(at(100))
	r.add(at(100), "one")
	r.add(at(200), "one") // unchanged: dropped
	r.add(at(300), "two")
	r.hide(at(500))
	r.add(at(600), "while hidden") // dropped
	r.show(at(10_500))             // ten seconds hidden do not count
	r.add(at(10_600), "three")
	caps, end := r.finish(at(11_000))
	want := []capture{{"one", 0}, {"two", 200 * time.Millisecond}, {"three", 500 * time.Millisecond}}
	if len(caps) != len(want) {
		t.Fatalf("captures %+v", caps)
	}
	for i := range want {
		if caps[i] != want[i] {
			t.Errorf("capture %d = %+v, want %+v", i, caps[i], want[i])
		}
	}
	if end != 900*time.Millisecond {
		t.Errorf("end = %v, want 900ms", end)
	}
	frames := framesFrom(caps, end, 10, 1)
	holds := []time.Duration{200 * time.Millisecond, 300 * time.Millisecond, 400 * time.Millisecond}
	for i, f := range frames {
		if f.Hold != holds[i] {
			t.Errorf("frame %d holds %v, want %v", i, f.Hold, holds[i])
		}
	}
}

func TestShellCommand(t *testing.T) {
	if got := shellCommand("bash"); strings.Join(got, " ") != "bash --noprofile --norc" {
		t.Errorf("bash: %q", got)
	}
	if got := shellCommand("zsh -f"); strings.Join(got, " ") != "zsh -f" {
		t.Errorf("zsh: %q", got)
	}
}

// TestEndToEnd plays a tiny tape through tmux and checks that a frame
// shows red text, which exercises tmux's capture, the SGR parser, the
// renderer and the GIF encoder together.
func TestEndToEnd(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not installed: skipping the end-to-end test")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not installed: skipping the end-to-end test")
	}
	files := testFonts(t)
	tape, err := ParseTape("e2e.tape", strings.NewReader(`Set FontSize 14
Set TypingSpeed 1ms
Set Shell bash
Hide
Type "clear"
Enter
Sleep 1s
Show
Type "printf '\033[31mred\033[0m\n'"
Enter
Sleep 1s
`))
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRenderer(files, tape.FontSize, DarkTheme)
	if err != nil {
		t.Fatal(err)
	}
	r.Padding = 4
	const cols, rows = 40, 6
	r.SetGrid(cols, rows, 0, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	frames, err := RunTape(ctx, tape, RunOptions{Cols: cols, Rows: rows, Dir: t.TempDir(), Interval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) < 2 {
		t.Fatalf("%d frames; want the typing and the output", len(frames))
	}
	// The hidden "clear" never shows.
	for _, f := range frames {
		for row := 0; row < rows; row++ {
			if line := screenLine(f.Screen, row); strings.Contains(line, "clear") {
				t.Errorf("hidden command on screen: %q", line)
			}
		}
	}
	g, err := BuildGIF(r, frames)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("TAPE2GIF_KEEP") != "" {
		_ = os.WriteFile(filepath.Join(os.TempDir(), "tape2gif-e2e.gif"), buf.Bytes(), 0o644)
	}
	back, err := gif.DecodeAll(&buf)
	if err != nil {
		t.Fatal(err)
	}
	red := DarkTheme.ANSI[1]
	found := false
	for _, img := range back.Image {
		if count(img, img.Bounds(), red) > 0 {
			found = true
			break
		}
	}
	if !found {
		last := frames[len(frames)-1].Screen
		var lines []string
		for row := 0; row < rows; row++ {
			lines = append(lines, screenLine(last, row))
		}
		t.Errorf("no frame has red pixels; last screen:\n%s", strings.Join(lines, "\n"))
	}
}

func screenLine(s *Screen, row int) string {
	var b strings.Builder
	for col := 0; col < s.Cols; col++ {
		if c := s.At(col, row); !c.Continuation {
			b.WriteRune(c.Rune)
		}
	}
	return strings.TrimRight(b.String(), " ")
}
