// Command tape2gif renders a VHS tape (https://github.com/charmbracelet/vhs)
// to an animated GIF without VHS's ttyd and headless browser: it plays
// the tape in a detached tmux session, captures the screen every
// 100 ms with its colours, and draws each distinct screen with
// DejaVu Sans Mono.
//
//	(cd tools && go run ./tape2gif -o ../docs/demo.gif ../demo.tape)
//
// It understands the tape commands sipdbg's demo.tape uses: Output,
// Set FontSize/Width/Height/TypingSpeed/Shell, Hide, Show, Type "…"
// (and Type@<speed>), Sleep, the keys Enter, Up, Down, Left, Right,
// Tab, Escape, Space, Backspace, Delete, Insert, PageUp, PageDown, Home,
// End (each with an optional @speed and repeat count), and Ctrl+<key> /
// Alt+<key>. Anything else is an error naming the line.
//
// The terminal grid follows from Set Width/Height/FontSize: the cell is
// the font's advance wide (0.6 × FontSize for DejaVu Sans Mono) and
// 1.3 × FontSize high, inside -padding pixels on each side; -cols and
// -rows override it. The GIF is Width × Height pixels.
//
// Needs tmux and the DejaVu fonts (Debian: tmux fonts-dejavu-core).
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image/gif"
	"os"
	"os/signal"
	"path/filepath"
	"time"
)

const fontDir = "/usr/share/fonts/truetype/dejavu"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "tape2gif:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("tape2gif", flag.ContinueOnError)
	out := fs.String("o", "", "GIF to write (default: the tape's Output)")
	cols := fs.Int("cols", 0, "terminal columns (default: from the tape's Width and FontSize)")
	rows := fs.Int("rows", 0, "terminal rows (default: from the tape's Height and FontSize)")
	padding := fs.Int("padding", 20, "pixels of background around the terminal")
	fontPath := fs.String("font", filepath.Join(fontDir, "DejaVuSansMono.ttf"), "regular monospace font")
	boldPath := fs.String("font-bold", filepath.Join(fontDir, "DejaVuSansMono-Bold.ttf"), "bold monospace font")
	dir := fs.String("dir", "", "directory the shell starts in (default: the current one)")
	verbose := fs.Bool("v", false, "log each tape step")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: tape2gif [flags] file.tape")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("want exactly one tape file")
	}
	tapePath := fs.Arg(0)
	data, err := os.ReadFile(tapePath)
	if err != nil {
		return err
	}
	tape, err := ParseTape(tapePath, bytes.NewReader(data))
	if err != nil {
		return err
	}
	dest := *out
	if dest == "" {
		dest = tape.Output
	}
	if dest == "" {
		return errors.New("no output: give -o or an Output line in the tape")
	}

	r, err := NewRenderer(FontFiles{
		Regular: *fontPath,
		Bold:    *boldPath,
		// DejaVu Sans covers more symbols than the monospace cut; used
		// only for runes the monospace font lacks.
		FallbackRegular: []string{filepath.Join(fontDir, "DejaVuSans.ttf")},
		FallbackBold:    []string{filepath.Join(fontDir, "DejaVuSans-Bold.ttf")},
	}, tape.FontSize, DarkTheme)
	if err != nil {
		return fmt.Errorf("%w (Debian: apt-get install fonts-dejavu-core, or pass -font and -font-bold)", err)
	}
	r.Padding = *padding
	c, rr := r.GridFor(tape.Width, tape.Height)
	width, height := tape.Width, tape.Height
	if *cols > 0 {
		c, width = *cols, 0
	}
	if *rows > 0 {
		rr, height = *rows, 0
	}
	r.SetGrid(c, rr, width, height)

	logf := func(string, ...any) {}
	if *verbose {
		logf = func(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	startedAt := time.Now()
	frames, err := RunTape(ctx, tape, RunOptions{Cols: c, Rows: rr, Dir: *dir, Log: logf})
	if err != nil {
		return err
	}
	drawn := false
	for _, f := range frames {
		if !f.Screen.Blank() {
			drawn = true
			break
		}
	}
	if !drawn {
		return errors.New("nothing was drawn while the tape was shown (did the program under test start?)")
	}

	g, err := BuildGIF(r, frames)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		return err
	}
	if err := os.WriteFile(dest, buf.Bytes(), 0o644); err != nil {
		return err
	}
	w, h := r.Size()
	fmt.Fprintf(os.Stderr, "tape2gif: %s: %d×%d px, %d×%d cells, %d frames, %d KiB (recorded in %s)\n",
		dest, w, h, c, rr, len(g.Image), buf.Len()/1024, time.Since(startedAt).Round(time.Second))
	return nil
}
