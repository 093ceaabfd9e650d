package main

import (
	"image"
	"math"
)

// Box-drawing and block characters are drawn as shapes that fill the
// cell, the way terminals do, instead of taken from the font: the font's
// lines are sized for its own line height, so with any other cell height
// vertical lines would show gaps between rows.

// boxArms lists, for U+2500–U+254B, the weight of each arm in the order
// up, right, down, left: 0 none, 1 light, 2 heavy. An empty entry (the
// dashed lines) is left to the font.
var boxArms = [...]string{
	"0101", "0202", "1010", "2020", "", "", "", "", "", "", "", "", // ─ ━ │ ┃ ┄┅┆┇┈┉┊┋
	"0110", "0210", "0120", "0220", // ┌ ┍ ┎ ┏
	"0011", "0012", "0021", "0022", // ┐ ┑ ┒ ┓
	"1100", "1200", "2100", "2200", // └ ┕ ┖ ┗
	"1001", "1002", "2001", "2002", // ┘ ┙ ┚ ┛
	"1110", "1210", "2110", "1120", "2120", "2210", "1220", "2220", // ├ … ┣
	"1011", "1012", "2011", "1021", "2021", "2012", "1022", "2022", // ┤ … ┫
	"0111", "0112", "0211", "0212", "0121", "0122", "0221", "0222", // ┬ … ┳
	"1101", "1102", "1201", "1202", "2101", "2102", "2201", "2202", // ┴ … ┻
	"1111", "1112", "1211", "1212", "2111", "1121", "2121", "2112", // ┼ … ╃
	"2211", "1122", "1221", "2212", "1222", "2122", "2221", "2222", // ╄ … ╋
}

// halfArms covers U+2574–U+257F, the half lines.
var halfArms = [...]string{
	"0001", "1000", "0100", "0010", "0002", "2000", "0200", "0020", // ╴ ╵ ╶ ╷ ╸ ╹ ╺ ╻
	"0201", "1020", "0102", "2010", // ╼ ╽ ╾ ╿
}

// lineWidths gives the light and heavy stroke widths for a font size:
// one pixel at ordinary sizes, so lines look as thin as the font's.
func lineWidths(fontSize float64) (light, heavy int) {
	light = max(1, int(math.Round(fontSize*0.08)))
	heavy = max(light+1, int(math.Round(fontSize*0.17)))
	return light, heavy
}

// boxMask returns a w×h coverage mask for r if it is a character drawn
// as a shape, or nil if the font should draw it.
func boxMask(r rune, w, h int, fontSize float64) *image.Alpha {
	light, heavy := lineWidths(fontSize)
	switch {
	case r >= 0x2500 && r <= 0x254B:
		if arms := boxArms[r-0x2500]; arms != "" {
			return armsMask(arms, w, h, light, heavy)
		}
	case r >= 0x2574 && r <= 0x257F:
		return armsMask(halfArms[r-0x2574], w, h, light, heavy)
	case r >= 0x256D && r <= 0x2570:
		return arcMask(r, w, h, float64(light))
	case r >= 0x2580 && r <= 0x259F:
		return blockMask(r, w, h)
	}
	return nil
}

// armsMask draws up to four arms from the cell's centre to its edges.
// Each stroke is centred with its own width, and arms reach past the
// centre by the crossing stroke's width so junctions close.
func armsMask(arms string, w, h, light, heavy int) *image.Alpha {
	m := image.NewAlpha(image.Rect(0, 0, w, h))
	width := func(c byte) int {
		switch c {
		case '1':
			return light
		case '2':
			return heavy
		}
		return 0
	}
	up, right, down, left := width(arms[0]), width(arms[1]), width(arms[2]), width(arms[3])
	vmax, hmax := max(up, down), max(left, right)
	// The vertical stroke's left edge and the horizontal's top edge for a
	// stroke of width t; the same formula in every cell keeps lines of
	// neighbouring cells aligned.
	vx := func(t int) int { return (w - t) / 2 }
	hy := func(t int) int { return (h - t) / 2 }
	if up > 0 {
		fill(m, vx(up), 0, vx(up)+up, hy(hmax)+hmax)
	}
	if down > 0 {
		fill(m, vx(down), hy(hmax), vx(down)+down, h)
	}
	if left > 0 {
		fill(m, 0, hy(left), vx(vmax)+vmax, hy(left)+left)
	}
	if right > 0 {
		fill(m, vx(vmax), hy(right), w, hy(right)+right)
	}
	return m
}

func fill(m *image.Alpha, x0, y0, x1, y1 int) {
	b := m.Bounds()
	for y := max(y0, b.Min.Y); y < min(y1, b.Max.Y); y++ {
		for x := max(x0, b.Min.X); x < min(x1, b.Max.X); x++ {
			m.Pix[m.PixOffset(x, y)] = 0xff
		}
	}
}

// arcMask draws the rounded corners ╭ ╮ ╯ ╰: a quarter circle joining
// two light arms, anti-aliased by sampling each pixel 4×4 times.
func arcMask(r rune, w, h int, t float64) *image.Alpha {
	m := image.NewAlpha(image.Rect(0, 0, w, h))
	// Centres of the strokes, matching armsMask's placement.
	cx := float64((w-int(t))/2) + t/2
	cy := float64((h-int(t))/2) + t/2
	rad := math.Min(cx, cy)
	// dx, dy point along the two arms: right/left and down/up.
	dx, dy := 1.0, 1.0
	switch r {
	case 0x256E: // ╮ down and left
		dx = -1
	case 0x256F: // ╯ up and left
		dx, dy = -1, -1
	case 0x2570: // ╰ up and right
		dy = -1
	}
	// The circle's centre sits rad away from the cell centre along both arms.
	ox, oy := cx+dx*rad, cy+dy*rad
	inside := func(px, py float64) bool {
		// Straight parts: from the arc's ends to the cell edges.
		if (px-ox)*dx >= 0 && math.Abs(py-cy) <= t/2 {
			return true
		}
		if (py-oy)*dy >= 0 && math.Abs(px-cx) <= t/2 {
			return true
		}
		// The quarter circle, between the two straight parts.
		if (px-ox)*dx <= 0 && (py-oy)*dy <= 0 {
			d := math.Hypot(px-ox, py-oy)
			return math.Abs(d-rad) <= t/2
		}
		return false
	}
	const n = 4
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			hits := 0
			for sy := 0; sy < n; sy++ {
				for sx := 0; sx < n; sx++ {
					if inside(float64(x)+(float64(sx)+0.5)/n, float64(y)+(float64(sy)+0.5)/n) {
						hits++
					}
				}
			}
			m.Pix[m.PixOffset(x, y)] = uint8(hits * 255 / (n * n))
		}
	}
	return m
}

// blockMask draws U+2580–U+259F: halves, eighths, quadrants and shades.
func blockMask(r rune, w, h int) *image.Alpha {
	m := image.NewAlpha(image.Rect(0, 0, w, h))
	eighthY := func(k int) int { return (h*k + 4) / 8 }
	eighthX := func(k int) int { return (w*k + 4) / 8 }
	hw, hh := w/2, h/2
	quad := func(ul, ur, ll, lr bool) {
		if ul {
			fill(m, 0, 0, hw, hh)
		}
		if ur {
			fill(m, hw, 0, w, hh)
		}
		if ll {
			fill(m, 0, hh, hw, h)
		}
		if lr {
			fill(m, hw, hh, w, h)
		}
	}
	switch {
	case r == 0x2580: // ▀ upper half
		fill(m, 0, 0, w, hh)
	case r >= 0x2581 && r <= 0x2588: // ▁ … █ lower eighths up to full
		fill(m, 0, h-eighthY(int(r-0x2580)), w, h)
	case r >= 0x2589 && r <= 0x258F: // ▉ … ▏ left seven eighths down to one
		fill(m, 0, 0, eighthX(8-int(r-0x2588)), h)
	case r == 0x2590: // ▐ right half
		fill(m, hw, 0, w, h)
	case r >= 0x2591 && r <= 0x2593: // ░ ▒ ▓ shades: flat coverage
		v := uint8(64 * int(r-0x2590))
		for i := range m.Pix {
			m.Pix[i] = v
		}
	case r == 0x2594: // ▔ upper eighth
		fill(m, 0, 0, w, eighthY(1))
	case r == 0x2595: // ▕ right eighth
		fill(m, w-eighthX(1), 0, w, h)
	case r == 0x2596:
		quad(false, false, true, false)
	case r == 0x2597:
		quad(false, false, false, true)
	case r == 0x2598:
		quad(true, false, false, false)
	case r == 0x2599:
		quad(true, false, true, true)
	case r == 0x259A:
		quad(true, false, false, true)
	case r == 0x259B:
		quad(true, true, true, false)
	case r == 0x259C:
		quad(true, true, false, true)
	case r == 0x259D:
		quad(false, true, false, false)
	case r == 0x259E:
		quad(false, true, true, false)
	case r == 0x259F:
		quad(false, true, true, true)
	}
	return m
}
