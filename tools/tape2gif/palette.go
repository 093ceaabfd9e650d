package main

import "image/color"

// Theme is the terminal's colours: what "default" means for text and
// background, and the 16 palette entries programs pick with SGR 30–37,
// 90–97 (and 38;5;0–15).
type Theme struct {
	Background color.RGBA
	Foreground color.RGBA
	ANSI       [16]color.RGBA
}

func rgb(v uint32) color.RGBA {
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}

// DarkTheme is tuned for a README on either GitHub theme: a near-black
// background, and colours bright enough to read at a small size yet
// distinct from each other (red vs. magenta, blue vs. cyan). "Black" is
// a visible dark grey so black-on-default text and black backgrounds
// (status bars, selections) still show up.
var DarkTheme = Theme{
	Background: rgb(0x171a21),
	Foreground: rgb(0xd5d9e0),
	ANSI: [16]color.RGBA{
		rgb(0x2e333d), // black
		rgb(0xe5616b), // red
		rgb(0x8fc672), // green
		rgb(0xe2b964), // yellow
		rgb(0x5aa2ec), // blue
		rgb(0xc27ad8), // magenta
		rgb(0x4fb8c4), // cyan
		rgb(0xbfc5ce), // white
		rgb(0x6b7380), // bright black
		rgb(0xff7e87), // bright red
		rgb(0xace58f), // bright green
		rgb(0xf5d185), // bright yellow
		rgb(0x82bcff), // bright blue
		rgb(0xdb9bef), // bright magenta
		rgb(0x79d4de), // bright cyan
		rgb(0xf2f4f7), // bright white
	},
}

// Resolve turns a cell colour into pixels; fg says which default applies.
func (t *Theme) Resolve(c Color, fg bool) color.RGBA {
	switch c.Kind {
	case ColorIndexed:
		return t.Indexed(c.Index)
	case ColorRGB:
		return color.RGBA{R: c.R, G: c.G, B: c.B, A: 0xff}
	}
	if fg {
		return t.Foreground
	}
	return t.Background
}

// Indexed is the xterm 256-colour table with this theme's first 16.
func (t *Theme) Indexed(i uint8) color.RGBA {
	switch {
	case i < 16:
		return t.ANSI[i]
	case i < 232: // 6×6×6 cube
		n := int(i) - 16
		return color.RGBA{R: cubeLevel(n / 36), G: cubeLevel(n / 6 % 6), B: cubeLevel(n % 6), A: 0xff}
	default: // 24 greys from 8 to 238
		v := uint8(8 + 10*(int(i)-232))
		return color.RGBA{R: v, G: v, B: v, A: 0xff}
	}
}

func cubeLevel(n int) uint8 {
	if n == 0 {
		return 0
	}
	return uint8(55 + 40*n)
}

// blend mixes fg over bg with coverage a in [0,1]. Terminal colours are
// flat, so a straight mix in sRGB is what a terminal's own anti-aliasing
// looks like closely enough.
func blend(fg, bg color.RGBA, a float64) color.RGBA {
	mix := func(f, b uint8) uint8 {
		return uint8(float64(b) + (float64(f)-float64(b))*a + 0.5)
	}
	return color.RGBA{R: mix(fg.R, bg.R), G: mix(fg.G, bg.G), B: mix(fg.B, bg.B), A: 0xff}
}

// nearestIndexed snaps a colour to the closest of the theme's 256
// colours; used only when a frame has more distinct colours than a GIF
// frame's palette can hold (a truecolor gradient, say).
func (t *Theme) nearestIndexed(c color.RGBA) color.RGBA {
	best, bestD := t.Indexed(0), -1
	for i := 0; i < 256; i++ {
		p := t.Indexed(uint8(i))
		dr, dg, db := int(p.R)-int(c.R), int(p.G)-int(c.G), int(p.B)-int(c.B)
		d := dr*dr + dg*dg + db*db
		if bestD < 0 || d < bestD {
			best, bestD = p, d
		}
	}
	return best
}
