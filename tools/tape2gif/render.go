package main

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"os"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// face is one font at the render size, with the parsed font kept to ask
// whether a rune has a glyph (the face draws .notdef for ones it lacks).
type face struct {
	font *sfnt.Font
	face font.Face
	buf  sfnt.Buffer
}

func loadFace(path string, size float64) (*face, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := opentype.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	ff, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &face{font: f, face: ff}, nil
}

func (f *face) has(r rune) bool {
	i, err := f.font.GlyphIndex(&f.buf, r)
	return err == nil && i != 0
}

// FontFiles names the faces to draw with. Fallback faces are tried, in
// order, for runes the main font lacks; they may be missing.
type FontFiles struct {
	Regular, Bold                 string
	FallbackRegular, FallbackBold []string
}

// Renderer draws screens into paletted images. It is not safe for
// concurrent use (the glyph cache and font buffers are shared).
type Renderer struct {
	Theme    Theme
	FontSize float64
	Cols     int
	Rows     int
	Padding  int

	advance  float64 // cell width in pixels, fractional like the font's
	cellH    int
	baseline int // from the top of a cell

	regular, bold         *face
	fallRegular, fallBold []*face
	glyphs                map[glyphKey]*image.Alpha
	width, height         int
}

type glyphKey struct {
	r    rune
	bold bool
	w    int // cell (or two-cell) width: box shapes depend on it
}

// NewRenderer loads the fonts. The cell is the font's advance wide and
// 1.3 × the font size high, which leaves the line spacing terminals
// usually have; Cols and Rows are set by the caller (see GridFor).
func NewRenderer(files FontFiles, size float64, theme Theme) (*Renderer, error) {
	reg, err := loadFace(files.Regular, size)
	if err != nil {
		return nil, fmt.Errorf("font: %w", err)
	}
	bold, err := loadFace(files.Bold, size)
	if err != nil {
		return nil, fmt.Errorf("bold font: %w", err)
	}
	r := &Renderer{Theme: theme, FontSize: size, regular: reg, bold: bold, glyphs: map[glyphKey]*image.Alpha{}}
	for _, p := range files.FallbackRegular {
		if f, err := loadFace(p, size); err == nil {
			r.fallRegular = append(r.fallRegular, f)
		}
	}
	for _, p := range files.FallbackBold {
		if f, err := loadFace(p, size); err == nil {
			r.fallBold = append(r.fallBold, f)
		}
	}
	adv, ok := reg.face.GlyphAdvance('M')
	if !ok {
		return nil, errors.New("font: no glyph for M")
	}
	r.advance = float64(adv) / 64
	r.cellH = int(math.Round(size * 1.3))
	m := reg.face.Metrics()
	ascent, descent := float64(m.Ascent)/64, float64(m.Descent)/64
	// Centre the font's ascent+descent in the cell.
	r.baseline = int(math.Round((float64(r.cellH)-(ascent+descent))/2 + ascent))
	return r, nil
}

// GridFor returns how many columns and rows fit in a width×height image
// with the renderer's padding on each side.
func (r *Renderer) GridFor(width, height int) (cols, rows int) {
	cols = int(float64(width-2*r.Padding) / r.advance)
	rows = (height - 2*r.Padding) / r.cellH
	return max(cols, 1), max(rows, 1)
}

// SetGrid fixes the grid and the image size: exactly width×height if
// given (the tape's Width and Height), else just big enough.
func (r *Renderer) SetGrid(cols, rows, width, height int) {
	r.Cols, r.Rows = cols, rows
	r.width = max(width, r.colX(cols)+r.Padding)
	r.height = max(height, r.rowY(rows)+r.Padding)
}

// Size is the image size.
func (r *Renderer) Size() (int, int) { return r.width, r.height }

// colX is the left pixel of a column. Cells are laid out at the font's
// fractional advance and rounded down, so text keeps the font's spacing
// and adjacent cells share an edge with no gap.
func (r *Renderer) colX(col int) int { return r.Padding + int(float64(col)*r.advance) }

func (r *Renderer) rowY(row int) int { return r.Padding + row*r.cellH }

// CellRect is the pixel rectangle of a run of cells.
func (r *Renderer) CellRect(col0, row0, col1, row1 int) image.Rectangle {
	return image.Rect(r.colX(col0), r.rowY(row0), r.colX(col1), r.rowY(row1))
}

// cellPaint is what one cell needs drawn: its rectangle in fg over bg,
// with mask (if any) giving the fg coverage, positioned at the cell's
// top-left corner.
type cellPaint struct {
	rect   image.Rectangle
	fg, bg color.RGBA
	mask   *image.Alpha
	under  bool
	strike bool
}

// colours works out a cell's text and background colours: reverse swaps
// them (after defaults are resolved, so reverse on default text is light
// on dark turned dark on light), faint dims the text towards the
// background, hidden paints the text in the background colour.
func (r *Renderer) colours(st Style) (fg, bg color.RGBA) {
	fg = r.Theme.Resolve(st.FG, true)
	bg = r.Theme.Resolve(st.BG, false)
	if st.Attr&AttrReverse != 0 {
		fg, bg = bg, fg
	}
	if st.Attr&AttrFaint != 0 {
		fg = blend(fg, bg, 0.6)
	}
	if st.Attr&AttrHidden != 0 {
		fg = bg
	}
	return fg, bg
}

func (r *Renderer) paints(s *Screen) []cellPaint {
	out := make([]cellPaint, 0, s.Cols*s.Rows)
	for row := 0; row < s.Rows && row < r.Rows; row++ {
		for col := 0; col < s.Cols && col < r.Cols; col++ {
			c := s.At(col, row)
			if c.Continuation {
				continue
			}
			w := 1
			if col+1 < s.Cols && s.At(col+1, row).Continuation {
				w = 2
			}
			p := cellPaint{rect: r.CellRect(col, row, min(col+w, r.Cols), row+1)}
			p.fg, p.bg = r.colours(c.Style)
			if c.Rune != ' ' && c.Rune != 0 && p.fg != p.bg {
				p.mask = r.glyph(c.Rune, c.Style.Attr&AttrBold != 0, p.rect.Dx())
			}
			p.under = c.Style.Attr&AttrUnderline != 0
			p.strike = c.Style.Attr&AttrStrike != 0
			out = append(out, p)
		}
	}
	return out
}

// glyph returns the coverage mask of r for a cell w pixels wide,
// relative to the cell's top-left corner and clipped to the cell.
func (r *Renderer) glyph(ch rune, bold bool, w int) *image.Alpha {
	key := glyphKey{ch, bold, w}
	if m, ok := r.glyphs[key]; ok {
		return m
	}
	m := boxMask(ch, w, r.cellH, r.FontSize)
	if m == nil {
		m = r.fontGlyph(ch, bold, w)
	}
	r.glyphs[key] = m
	return m
}

func (r *Renderer) fontGlyph(ch rune, bold bool, w int) *image.Alpha {
	cell := image.Rect(0, 0, w, r.cellH)
	m := image.NewAlpha(cell)
	faces := []*face{r.regular}
	faces = append(faces, r.fallRegular...)
	if bold {
		faces = append([]*face{r.bold}, r.fallBold...)
		faces = append(faces, r.regular) // a bold face lacking a rune: regular beats nothing
		faces = append(faces, r.fallRegular...)
	}
	for _, f := range faces {
		if !f.has(ch) {
			continue
		}
		// A fallback font's glyph may be wider than the cell: centre it so
		// it is clipped evenly rather than cut off on the right.
		x := fixed.I(0)
		if adv, ok := f.face.GlyphAdvance(ch); ok && adv > fixed.I(w) {
			x = (fixed.I(w) - adv) / 2
		}
		dr, mask, mp, _, ok := f.face.Glyph(fixed.Point26_6{X: x, Y: fixed.I(r.baseline)}, ch)
		if !ok {
			continue
		}
		clip := dr.Intersect(cell)
		for y := clip.Min.Y; y < clip.Max.Y; y++ {
			for x := clip.Min.X; x < clip.Max.X; x++ {
				_, _, _, a := mask.At(mp.X+x-dr.Min.X, mp.Y+y-dr.Min.Y).RGBA()
				m.Pix[m.PixOffset(x, y)] = uint8(a >> 8)
			}
		}
		return m
	}
	// No font has it: an outlined box, so the gap is visible rather than silent.
	inset := image.Rect(1, r.baseline-int(r.FontSize*0.7), w-1, r.baseline)
	for x := inset.Min.X; x < inset.Max.X; x++ {
		m.SetAlpha(x, inset.Min.Y, color.Alpha{A: 0xff})
		m.SetAlpha(x, inset.Max.Y-1, color.Alpha{A: 0xff})
	}
	for y := inset.Min.Y; y < inset.Max.Y; y++ {
		m.SetAlpha(inset.Min.X, y, color.Alpha{A: 0xff})
		m.SetAlpha(inset.Max.X-1, y, color.Alpha{A: 0xff})
	}
	return m
}

// maxBlendLevels is how many in-between shades of each text/background
// pair a frame's palette gets for anti-aliased edges. Four (20 % steps)
// is indistinguishable from full anti-aliasing at terminal sizes and
// keeps frames compressible.
const maxBlendLevels = 4

// framePalette is one frame's colours: every solid colour, then for each
// text/background pair its blend levels.
type framePalette struct {
	colors color.Palette
	solid  map[color.RGBA]uint8
	pairs  map[[2]color.RGBA][]uint8 // fg,bg → index per level 1…levels
	levels int
	snap   func(color.RGBA) color.RGBA
}

func (r *Renderer) buildPalette(paints []cellPaint) *framePalette {
	snap := func(c color.RGBA) color.RGBA { return c }
	var solids []color.RGBA
	var pairs [][2]color.RGBA
	collect := func() {
		seenS := map[color.RGBA]bool{}
		seenP := map[[2]color.RGBA]bool{}
		solids, pairs = solids[:0], pairs[:0]
		add := func(c color.RGBA) {
			c = snap(c)
			if !seenS[c] {
				seenS[c] = true
				solids = append(solids, c)
			}
		}
		add(r.Theme.Background)
		for _, p := range paints {
			add(p.bg)
			if p.mask != nil || p.under || p.strike {
				add(p.fg)
			}
			if p.mask != nil {
				k := [2]color.RGBA{snap(p.fg), snap(p.bg)}
				if !seenP[k] {
					seenP[k] = true
					pairs = append(pairs, k)
				}
			}
		}
	}
	collect()
	if len(solids) > 256 {
		// More colours than a GIF frame holds: fall back to the 256-colour
		// table, which cannot overflow.
		snap = r.Theme.nearestIndexed
		collect()
	}
	levels := maxBlendLevels
	for levels > 0 && len(solids)+levels*len(pairs) > 256 {
		levels--
	}
	fp := &framePalette{solid: map[color.RGBA]uint8{}, pairs: map[[2]color.RGBA][]uint8{}, levels: levels, snap: snap}
	for _, c := range solids {
		fp.solid[c] = uint8(len(fp.colors))
		fp.colors = append(fp.colors, c)
	}
	for _, k := range pairs {
		idx := make([]uint8, levels)
		for l := 1; l <= levels; l++ {
			idx[l-1] = uint8(len(fp.colors))
			fp.colors = append(fp.colors, blend(k[0], k[1], float64(l)/float64(levels+1)))
		}
		fp.pairs[k] = idx
	}
	return fp
}

// Render draws a screen. Each frame gets its own palette (GIF allows a
// local colour table per frame) made of exactly the colours it uses, so
// flat terminal colours come out exact with no dithering noise.
func (r *Renderer) Render(s *Screen) *image.Paletted {
	paints := r.paints(s)
	fp := r.buildPalette(paints)
	img := image.NewPaletted(image.Rect(0, 0, r.width, r.height), fp.colors)
	bgIdx := fp.solid[fp.snap(r.Theme.Background)]
	for i := range img.Pix {
		img.Pix[i] = bgIdx
	}
	for _, p := range paints {
		fg, bg := fp.snap(p.fg), fp.snap(p.bg)
		bi := fp.solid[bg]
		for y := p.rect.Min.Y; y < p.rect.Max.Y; y++ {
			row := img.Pix[img.PixOffset(p.rect.Min.X, y):img.PixOffset(p.rect.Max.X, y)]
			for x := range row {
				row[x] = bi
			}
		}
		if p.mask != nil {
			fi := fp.solid[fg]
			lv := fp.pairs[[2]color.RGBA{fg, bg}]
			steps := fp.levels + 1
			mb := p.mask.Bounds()
			for y := mb.Min.Y; y < mb.Max.Y && y < p.rect.Dy(); y++ {
				for x := mb.Min.X; x < mb.Max.X && x < p.rect.Dx(); x++ {
					a := int(p.mask.Pix[p.mask.PixOffset(x, y)])
					if a == 0 {
						continue
					}
					q := (a*steps + 127) / 255 // 0 … steps
					var idx uint8
					switch {
					case q == 0:
						continue
					case q >= steps:
						idx = fi
					default:
						idx = lv[q-1]
					}
					img.Pix[img.PixOffset(p.rect.Min.X+x, p.rect.Min.Y+y)] = idx
				}
			}
		}
		if p.under || p.strike {
			fi := fp.solid[fg]
			line := func(y int) {
				if y < p.rect.Min.Y || y >= p.rect.Max.Y {
					return
				}
				for x := p.rect.Min.X; x < p.rect.Max.X; x++ {
					img.Pix[img.PixOffset(x, y)] = fi
				}
			}
			if p.under {
				line(p.rect.Min.Y + min(r.baseline+max(1, int(r.FontSize/10)), r.cellH-1))
			}
			if p.strike {
				line(p.rect.Min.Y + r.baseline - int(math.Round(r.FontSize*0.3)))
			}
		}
	}
	return img
}

// ChangedRect is the pixel area that differs between two screens of the
// same size, or an empty rectangle. Glyphs are clipped to their cells,
// so the cells' rectangle bounds every changed pixel.
func (r *Renderer) ChangedRect(a, b *Screen) image.Rectangle {
	minC, minR, maxC, maxR := b.Cols, b.Rows, -1, -1
	for row := 0; row < b.Rows; row++ {
		for col := 0; col < b.Cols; col++ {
			if a.At(col, row) != b.At(col, row) {
				minC, maxC = min(minC, col), max(maxC, col)
				minR, maxR = min(minR, row), max(maxR, row)
			}
		}
	}
	if maxC < 0 {
		return image.Rectangle{}
	}
	// A wide rune spans two cells, and only one of them may have changed.
	minC = max(minC-1, 0)
	maxC = min(maxC+2, b.Cols)
	return r.CellRect(minC, minR, maxC, maxR+1).Intersect(image.Rect(0, 0, r.width, r.height))
}
