package main

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ColorKind says how a Color is given.
type ColorKind uint8

const (
	ColorDefault ColorKind = iota // the terminal's default fg or bg
	ColorIndexed                  // a 256-colour index (0–15 are the palette)
	ColorRGB                      // truecolor
)

// Color is a cell colour as the program asked for it; resolving it to
// pixels is the renderer's business, so the parser stays palette-free.
type Color struct {
	Kind    ColorKind
	Index   uint8
	R, G, B uint8
}

// Attr is a cell's text attributes.
type Attr uint8

const (
	AttrBold Attr = 1 << iota
	AttrFaint
	AttrItalic
	AttrUnderline
	AttrReverse
	AttrHidden
	AttrStrike
)

// Style is the SGR state applied to a cell.
type Style struct {
	FG, BG Color
	Attr   Attr
}

// Cell is one terminal cell. Wide runes occupy their cell and mark the
// next one Continuation so column positions stay those of the terminal.
type Cell struct {
	Rune         rune
	Style        Style
	Continuation bool
}

// Screen is a grid of Rows×Cols cells.
type Screen struct {
	Cols, Rows int
	Cells      []Cell
}

// At returns the cell at (col, row).
func (s *Screen) At(col, row int) Cell { return s.Cells[row*s.Cols+col] }

// Blank reports whether no cell shows anything: no glyph and no
// background colour.
func (s *Screen) Blank() bool {
	for _, c := range s.Cells {
		if (c.Rune != ' ' && c.Rune != 0) || c.Style.BG.Kind != ColorDefault || c.Style.Attr&AttrReverse != 0 {
			return false
		}
	}
	return true
}

// ParseScreen turns `tmux capture-pane -p -e` output into cells. tmux
// writes each line's text with SGR sequences wherever the style changes
// (and trims trailing default cells), so only SGR needs to be understood;
// any other escape sequence is skipped rather than drawn. Lines beyond
// rows and text beyond cols are dropped: the grid is the pane's size.
func ParseScreen(text string, cols, rows int) *Screen {
	s := &Screen{Cols: cols, Rows: rows, Cells: make([]Cell, cols*rows)}
	for i := range s.Cells {
		s.Cells[i].Rune = ' '
	}
	text = strings.TrimSuffix(text, "\n")
	// tmux writes only style changes, also across line ends (a red run
	// that wraps starts the next line with no sequence), so the state
	// carries from line to line.
	var st Style
	for row, line := range strings.Split(text, "\n") {
		if row >= rows {
			break
		}
		col := 0
		for i := 0; i < len(line); {
			if line[i] == 0x1b {
				n := parseEscape(line[i:], &st)
				i += n
				continue
			}
			r, size := utf8.DecodeRuneInString(line[i:])
			i += size
			if r == '\r' {
				continue
			}
			if r == '\t' { // capture-pane keeps tabs only with -T; advance to the next stop anyway
				next := (col/8 + 1) * 8
				for col < next && col < cols {
					s.Cells[row*cols+col] = Cell{Rune: ' ', Style: st}
					col++
				}
				continue
			}
			w := runeWidth(r)
			if w == 0 {
				// Combining marks and other zero-width runes would need
				// grapheme shaping to draw well; dropping them keeps
				// the columns right.
				continue
			}
			if col+w > cols {
				col = cols
				continue
			}
			s.Cells[row*cols+col] = Cell{Rune: r, Style: st}
			if w == 2 {
				s.Cells[row*cols+col+1] = Cell{Rune: ' ', Style: st, Continuation: true}
			}
			col += w
		}
	}
	return s
}

// parseEscape consumes one escape sequence at the start of s, applies it
// to st if it is SGR, and returns its length in bytes.
func parseEscape(s string, st *Style) int {
	if len(s) < 2 {
		return len(s)
	}
	switch s[1] {
	case '[': // CSI: parameters 0x30–0x3f, intermediates 0x20–0x2f, final 0x40–0x7e
		j := 2
		for j < len(s) && s[j] >= 0x30 && s[j] <= 0x3f {
			j++
		}
		params := s[2:j]
		for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
			j++
		}
		if j >= len(s) {
			return len(s)
		}
		if s[j] == 'm' {
			applySGR(params, st)
		}
		return j + 1
	case ']', 'P', '_', '^': // OSC, DCS, APC, PM: up to BEL or ST
		for j := 2; j < len(s); j++ {
			if s[j] == 0x07 {
				return j + 1
			}
			if s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\' {
				return j + 2
			}
		}
		return len(s)
	default: // ESC, intermediates 0x20–0x2f (as in ESC ( B), then one final byte
		j := 1
		for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
			j++
		}
		return min(j+1, len(s))
	}
}

// applySGR applies "Select Graphic Rendition" parameters. Both the common
// ';' form (38;5;n, 38;2;r;g;b) and the ITU ':' sub-parameter form
// (38:5:n, 38:2::r:g:b) are accepted, since tmux and programs use both.
func applySGR(params string, st *Style) {
	if params == "" {
		*st = Style{}
		return
	}
	fields := strings.Split(params, ";")
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		if strings.Contains(f, ":") {
			sub := strings.Split(f, ":")
			code := atoi(sub[0])
			if code == 38 || code == 48 || code == 58 {
				c, ok := extendedColor(sub[1:])
				if ok {
					setExtended(st, code, c)
				}
				continue
			}
			if code == 4 && len(sub) > 1 { // 4:0 is "no underline", 4:n a style of underline
				if atoi(sub[1]) == 0 {
					st.Attr &^= AttrUnderline
				} else {
					st.Attr |= AttrUnderline
				}
				continue
			}
			f = sub[0]
		}
		code := atoi(f)
		switch {
		case code == 0:
			*st = Style{}
		case code == 1:
			st.Attr |= AttrBold
		case code == 2:
			st.Attr |= AttrFaint
		case code == 3:
			st.Attr |= AttrItalic
		case code == 4 || code == 21:
			st.Attr |= AttrUnderline
		case code == 7:
			st.Attr |= AttrReverse
		case code == 8:
			st.Attr |= AttrHidden
		case code == 9:
			st.Attr |= AttrStrike
		case code == 22:
			st.Attr &^= AttrBold | AttrFaint
		case code == 23:
			st.Attr &^= AttrItalic
		case code == 24:
			st.Attr &^= AttrUnderline
		case code == 27:
			st.Attr &^= AttrReverse
		case code == 28:
			st.Attr &^= AttrHidden
		case code == 29:
			st.Attr &^= AttrStrike
		case code >= 30 && code <= 37:
			st.FG = Color{Kind: ColorIndexed, Index: uint8(code - 30)}
		case code == 39:
			st.FG = Color{}
		case code >= 40 && code <= 47:
			st.BG = Color{Kind: ColorIndexed, Index: uint8(code - 40)}
		case code == 49:
			st.BG = Color{}
		case code >= 90 && code <= 97:
			st.FG = Color{Kind: ColorIndexed, Index: uint8(code - 90 + 8)}
		case code >= 100 && code <= 107:
			st.BG = Color{Kind: ColorIndexed, Index: uint8(code - 100 + 8)}
		case code == 38 || code == 48 || code == 58:
			c, n := extendedColorSemicolon(fields[i+1:])
			if n > 0 {
				setExtended(st, code, c)
			}
			i += n
		}
	}
}

func setExtended(st *Style, code int, c Color) {
	switch code {
	case 38:
		st.FG = c
	case 48:
		st.BG = c
	}
	// 58 (underline colour) is parsed so its parameters are not misread
	// as other codes, but underlines are drawn in the text colour.
}

// extendedColorSemicolon reads the 5;n or 2;r;g;b that follows 38/48 in
// the ';' form and returns the colour and how many fields it used.
func extendedColorSemicolon(rest []string) (Color, int) {
	if len(rest) == 0 {
		return Color{}, 0
	}
	switch atoi(rest[0]) {
	case 5:
		if len(rest) < 2 {
			return Color{}, len(rest)
		}
		return Color{Kind: ColorIndexed, Index: uint8(clamp255(atoi(rest[1])))}, 2
	case 2:
		if len(rest) < 4 {
			return Color{}, len(rest)
		}
		return Color{Kind: ColorRGB, R: uint8(clamp255(atoi(rest[1]))), G: uint8(clamp255(atoi(rest[2]))), B: uint8(clamp255(atoi(rest[3])))}, 4
	}
	return Color{}, 1
}

// extendedColor reads the ':' form: 5:n, 2:r:g:b, or 2:colourspace:r:g:b.
func extendedColor(sub []string) (Color, bool) {
	if len(sub) == 0 {
		return Color{}, false
	}
	switch atoi(sub[0]) {
	case 5:
		if len(sub) < 2 {
			return Color{}, false
		}
		return Color{Kind: ColorIndexed, Index: uint8(clamp255(atoi(sub[1])))}, true
	case 2:
		rgb := sub[1:]
		if len(rgb) >= 4 { // the optional colour-space id comes first
			rgb = rgb[1:]
		}
		if len(rgb) < 3 {
			return Color{}, false
		}
		return Color{Kind: ColorRGB, R: uint8(clamp255(atoi(rgb[0]))), G: uint8(clamp255(atoi(rgb[1]))), B: uint8(clamp255(atoi(rgb[2])))}, true
	}
	return Color{}, false
}

// atoi reads a parameter; an empty or malformed one counts as 0, which is
// what terminals do with "\e[;1m".
func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}

func clamp255(n int) int {
	if n < 0 {
		return 0
	}
	if n > 255 {
		return 255
	}
	return n
}

// runeWidth is the number of terminal columns a rune takes: 0 for
// combining and format characters, 2 for East Asian wide and emoji, 1
// otherwise. It covers the ranges terminals (and tmux) treat as wide;
// the rare disagreements only shift a line of CJK text.
func runeWidth(r rune) int {
	if r == 0 || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || unicode.Is(unicode.Cf, r) {
		return 0
	}
	if r < 0x1100 {
		return 1
	}
	for _, rg := range wideRanges {
		if r >= rg[0] && r <= rg[1] {
			return 2
		}
	}
	return 1
}

var wideRanges = [][2]rune{
	{0x1100, 0x115F},   // Hangul Jamo initials
	{0x231A, 0x231B},   // watch, hourglass
	{0x2329, 0x232A},   // angle brackets
	{0x23E9, 0x23EC},   // media buttons
	{0x23F0, 0x23F0},   // alarm clock
	{0x23F3, 0x23F3},   // hourglass
	{0x25FD, 0x25FE},   // small squares
	{0x2614, 0x2615},   // umbrella, hot beverage
	{0x2648, 0x2653},   // zodiac
	{0x267F, 0x267F},   // wheelchair
	{0x2693, 0x2693},   // anchor
	{0x26A1, 0x26A1},   // high voltage
	{0x26AA, 0x26AB},   // circles
	{0x26BD, 0x26BE},   // balls
	{0x26C4, 0x26C5},   // snowman, sun
	{0x26CE, 0x26CE},   // ophiuchus
	{0x26D4, 0x26D4},   // no entry
	{0x26EA, 0x26EA},   // church
	{0x26F2, 0x26F3},   // fountain, golf
	{0x26F5, 0x26F5},   // sailboat
	{0x26FA, 0x26FA},   // tent
	{0x26FD, 0x26FD},   // fuel pump
	{0x2705, 0x2705},   // check mark button
	{0x270A, 0x270B},   // fists
	{0x2728, 0x2728},   // sparkles
	{0x274C, 0x274C},   // cross mark
	{0x274E, 0x274E},   // cross mark button
	{0x2753, 0x2755},   // question marks
	{0x2757, 0x2757},   // exclamation
	{0x2795, 0x2797},   // plus, minus, divide
	{0x27B0, 0x27B0},   // curly loop
	{0x27BF, 0x27BF},   // double curly loop
	{0x2B1B, 0x2B1C},   // large squares
	{0x2B50, 0x2B50},   // star
	{0x2B55, 0x2B55},   // circle
	{0x2E80, 0x303E},   // CJK radicals … CJK symbols
	{0x3041, 0x33FF},   // Hiragana … CJK compatibility
	{0x3400, 0x4DBF},   // CJK extension A
	{0x4E00, 0x9FFF},   // CJK unified ideographs
	{0xA000, 0xA4CF},   // Yi
	{0xA960, 0xA97F},   // Hangul Jamo extended A
	{0xAC00, 0xD7A3},   // Hangul syllables
	{0xF900, 0xFAFF},   // CJK compatibility ideographs
	{0xFE10, 0xFE19},   // vertical forms
	{0xFE30, 0xFE6F},   // CJK compatibility forms, small forms
	{0xFF00, 0xFF60},   // fullwidth forms
	{0xFFE0, 0xFFE6},   // fullwidth signs
	{0x1F004, 0x1F004}, // mahjong
	{0x1F0CF, 0x1F0CF}, // joker
	{0x1F18E, 0x1F18E}, // AB button
	{0x1F191, 0x1F19A}, // squared words
	{0x1F200, 0x1F251}, // enclosed ideographic
	{0x1F300, 0x1F64F}, // pictographs, emoticons
	{0x1F680, 0x1F6FF}, // transport
	{0x1F7E0, 0x1F7EB}, // coloured circles and squares
	{0x1F900, 0x1F9FF}, // supplemental pictographs
	{0x1FA70, 0x1FAFF}, // symbols and pictographs extended A
	{0x20000, 0x2FFFD}, // CJK extension B …
	{0x30000, 0x3FFFD}, // CJK extension G …
}
