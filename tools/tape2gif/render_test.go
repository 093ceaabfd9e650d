package main

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func testFonts(t *testing.T) FontFiles {
	t.Helper()
	files := FontFiles{
		Regular: filepath.Join(fontDir, "DejaVuSansMono.ttf"),
		Bold:    filepath.Join(fontDir, "DejaVuSansMono-Bold.ttf"),
	}
	for _, p := range []string{files.Regular, files.Bold} {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("font missing (apt-get install fonts-dejavu-core): %v", err)
		}
	}
	return files
}

func newTestRenderer(t *testing.T, cols, rows int) *Renderer {
	t.Helper()
	r, err := NewRenderer(testFonts(t), 14, DarkTheme)
	if err != nil {
		t.Fatal(err)
	}
	r.Padding = 2
	r.SetGrid(cols, rows, 0, 0)
	return r
}

func rgbaAt(img *image.Paletted, x, y int) color.RGBA {
	return color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
}

// count returns how many pixels of rect have colour c.
func count(img *image.Paletted, rect image.Rectangle, c color.RGBA) int {
	n := 0
	for y := rect.Min.Y; y < rect.Max.Y; y++ {
		for x := rect.Min.X; x < rect.Max.X; x++ {
			if rgbaAt(img, x, y) == c {
				n++
			}
		}
	}
	return n
}

func TestRenderReversedCell(t *testing.T) {
	r := newTestRenderer(t, 2, 2)
	// Top left reversed red "A"; the rest default.
	s := ParseScreen("\x1b[7;31mA\x1b[0mb\n", 2, 2)
	img := r.Render(s)
	red, bg, fg := DarkTheme.ANSI[1], DarkTheme.Background, DarkTheme.Foreground

	rev := r.CellRect(0, 0, 1, 1)
	// Reversed: the cell's background is red, its glyph the default background.
	if got := rgbaAt(img, rev.Min.X, rev.Min.Y); got != red {
		t.Errorf("reversed cell corner = %v, want red %v", got, red)
	}
	if count(img, rev, bg) == 0 {
		t.Error("reversed cell has no glyph pixels in the background colour")
	}
	if count(img, rev, red) < rev.Dx()*rev.Dy()/2 {
		t.Error("reversed cell is not mostly red")
	}
	// The plain cell: default background with default-coloured text.
	plain := r.CellRect(1, 0, 2, 1)
	if got := rgbaAt(img, plain.Min.X, plain.Min.Y); got != bg {
		t.Errorf("plain cell corner = %v, want background %v", got, bg)
	}
	if count(img, plain, fg) == 0 {
		t.Error("plain cell has no text pixels")
	}
	// The empty row and the padding stay background.
	if n := count(img, r.CellRect(0, 1, 2, 2), bg); n != r.CellRect(0, 1, 2, 2).Dx()*r.CellRect(0, 1, 2, 2).Dy() {
		t.Errorf("empty row has %d non-background pixels", r.CellRect(0, 1, 2, 2).Dx()*r.CellRect(0, 1, 2, 2).Dy()-n)
	}
	if got := rgbaAt(img, 0, 0); got != bg {
		t.Errorf("padding = %v", got)
	}
}

func TestRenderBoxLinesJoin(t *testing.T) {
	r := newTestRenderer(t, 3, 3)
	s := ParseScreen("┌─┐\n│ │\n└─┘\n", 3, 3)
	img := r.Render(s)
	fg := DarkTheme.Foreground
	// The vertical line runs unbroken from the top row to the bottom row.
	x := -1
	top := r.CellRect(0, 1, 1, 2)
	for xx := top.Min.X; xx < top.Max.X; xx++ {
		if rgbaAt(img, xx, top.Min.Y) == fg {
			x = xx
			break
		}
	}
	if x < 0 {
		t.Fatal("no vertical line in the left column")
	}
	y0 := r.CellRect(0, 0, 1, 1).Min.Y + r.cellH/2 + 1
	y1 := r.CellRect(0, 2, 1, 3).Min.Y + r.cellH/2 - 1
	for y := y0; y < y1; y++ {
		if rgbaAt(img, x, y) != fg {
			t.Fatalf("vertical line broken at y=%d", y)
		}
	}
}

func TestRenderSymbolsHaveGlyphs(t *testing.T) {
	r := newTestRenderer(t, 1, 1)
	for _, ch := range "→←✓✗⚠●▲▼↑↓…" {
		m := r.glyph(ch, false, 8)
		m2 := r.glyph('?', false, 8) // a reference with ink
		if sameMask(m, m2) {
			t.Errorf("%q looks like a missing glyph", ch)
		}
		ink := 0
		for _, a := range m.Pix {
			if a > 0 {
				ink++
			}
		}
		if ink == 0 {
			t.Errorf("%q drew nothing", ch)
		}
	}
}

func sameMask(a, b *image.Alpha) bool {
	return a.Bounds() == b.Bounds() && bytes.Equal(a.Pix, b.Pix)
}

func TestRenderTruecolorAndPaletteLimit(t *testing.T) {
	// 300 distinct truecolor backgrounds: more than a GIF palette holds.
	var line bytes.Buffer
	for i := 0; i < 300; i++ {
		line.WriteString("\x1b[48;2;")
		line.WriteString(itoa(i % 256))
		line.WriteString(";")
		line.WriteString(itoa(i / 256 * 100))
		line.WriteString(";7mx")
	}
	r := newTestRenderer(t, 300, 1)
	img := r.Render(ParseScreen(line.String(), 300, 1))
	if len(img.Palette) > 256 {
		t.Fatalf("palette has %d colours", len(img.Palette))
	}
}

func itoa(i int) string {
	return string([]byte{byte('0' + i/100), byte('0' + i/10%10), byte('0' + i%10)})
}

func TestBuildGIFFramesAndDelays(t *testing.T) {
	r := newTestRenderer(t, 4, 2)
	frames := []Frame{
		{Screen: ParseScreen("ab", 4, 2), Hold: 1234 * time.Millisecond},
		{Screen: ParseScreen("ab\n\x1b[32mcd", 4, 2), Hold: 100 * time.Millisecond},
		// Same picture as the frame before, captured with different text:
		// merged into it.
		{Screen: ParseScreen("ab\n\x1b[32mc\x1b[32md", 4, 2), Hold: 300 * time.Millisecond},
		{Screen: ParseScreen("xb\n\x1b[32mcd", 4, 2), Hold: 5 * time.Millisecond},
	}
	g, err := BuildGIF(r, frames)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		t.Fatal(err)
	}
	back, err := gif.DecodeAll(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Image) != 3 {
		t.Fatalf("%d frames, want 3", len(back.Image))
	}
	// 1.234 s → 123; 0.1 + 0.3 merged → 40; 5 ms → the 2-hundredths floor.
	if want := []int{123, 40, 2}; !equalInts(back.Delay, want) {
		t.Errorf("delays %v, want %v", back.Delay, want)
	}
	w, h := r.Size()
	if back.Config.Width != w || back.Config.Height != h {
		t.Errorf("size %dx%d, want %dx%d", back.Config.Width, back.Config.Height, w, h)
	}
	if back.Image[0].Bounds() != image.Rect(0, 0, w, h) {
		t.Errorf("first frame %v is not the whole image", back.Image[0].Bounds())
	}
	// Later frames cover only the changed cells.
	if b := back.Image[2].Bounds(); b.Dx() >= w || b.Dy() >= h || !b.Overlaps(r.CellRect(0, 0, 1, 1)) {
		t.Errorf("third frame covers %v", b)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCentisecondsNoDrift(t *testing.T) {
	var frames []Frame
	for i := 0; i < 100; i++ {
		frames = append(frames, Frame{Hold: 104 * time.Millisecond})
	}
	sum := 0
	for _, d := range centiseconds(frames) {
		sum += d
	}
	if sum != 1040 {
		t.Errorf("100 × 104 ms = %d hundredths, want 1040", sum)
	}
}

func TestBuildGIFNoFrames(t *testing.T) {
	r := newTestRenderer(t, 1, 1)
	if _, err := BuildGIF(r, nil); err == nil {
		t.Error("no error for no frames")
	}
}
