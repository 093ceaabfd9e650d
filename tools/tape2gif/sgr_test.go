package main

import (
	"testing"
)

func idx(i uint8) Color { return Color{Kind: ColorIndexed, Index: i} }

func TestParseScreenCellsAndColours(t *testing.T) {
	in := "a\x1b[31mb\x1b[1;44mc\x1b[0md\n" +
		"\x1b[91mx\x1b[38;5;200my\x1b[38;2;1;2;3;48;5;17mz\x1b[39;49mw\n" +
		"\x1b[7mr\x1b[27ms\x1b[2;4mt\x1b[22;24mu\n"
	s := ParseScreen(in, 5, 4)
	for _, tc := range []struct {
		col, row int
		r        rune
		st       Style
	}{
		{0, 0, 'a', Style{}},
		{1, 0, 'b', Style{FG: idx(1)}},
		{2, 0, 'c', Style{FG: idx(1), BG: idx(4), Attr: AttrBold}},
		{3, 0, 'd', Style{}},
		{4, 0, ' ', Style{}},
		{0, 1, 'x', Style{FG: idx(9)}},
		{1, 1, 'y', Style{FG: idx(200)}},
		{2, 1, 'z', Style{FG: Color{Kind: ColorRGB, R: 1, G: 2, B: 3}, BG: idx(17)}},
		{3, 1, 'w', Style{}},
		{0, 2, 'r', Style{Attr: AttrReverse}},
		{1, 2, 's', Style{}},
		{2, 2, 't', Style{Attr: AttrFaint | AttrUnderline}},
		{3, 2, 'u', Style{}},
		{0, 3, ' ', Style{}},
	} {
		c := s.At(tc.col, tc.row)
		if c.Rune != tc.r || c.Style != tc.st {
			t.Errorf("cell %d,%d = %q %+v, want %q %+v", tc.col, tc.row, c.Rune, c.Style, tc.r, tc.st)
		}
	}
}

// tmux writes only changes, so a style runs on across the line end.
func TestParseScreenStyleCarriesAcrossLines(t *testing.T) {
	s := ParseScreen("\x1b[31mab\ncd\x1b[0me\n", 3, 2)
	if got := s.At(0, 1).Style.FG; got != idx(1) {
		t.Errorf("second line fg = %+v, want red", got)
	}
	if got := s.At(2, 1).Style; got != (Style{}) {
		t.Errorf("after reset: %+v", got)
	}
}

func TestParseScreenColonForms(t *testing.T) {
	s := ParseScreen("\x1b[38:2::10:20:30ma\x1b[48:5:3mb\x1b[4:0mc\x1b[38:2:7:8:9md", 4, 1)
	if got := s.At(0, 0).Style.FG; got != (Color{Kind: ColorRGB, R: 10, G: 20, B: 30}) {
		t.Errorf("38:2:: = %+v", got)
	}
	if got := s.At(1, 0).Style.BG; got != idx(3) {
		t.Errorf("48:5:3 = %+v", got)
	}
	if got := s.At(3, 0).Style.FG; got != (Color{Kind: ColorRGB, R: 7, G: 8, B: 9}) {
		t.Errorf("38:2:r:g:b = %+v", got)
	}
}

func TestParseScreenResetForms(t *testing.T) {
	for _, reset := range []string{"\x1b[m", "\x1b[0m", "\x1b[;m"} {
		s := ParseScreen("\x1b[1;7;31;42ma"+reset+"b", 2, 1)
		if got := s.At(1, 0).Style; got != (Style{}) {
			t.Errorf("%q left %+v", reset, got)
		}
	}
}

func TestParseScreenOtherEscapesAndClipping(t *testing.T) {
	// A cursor move, an OSC title and a charset switch draw nothing; text
	// past the width and lines past the height are dropped.
	s := ParseScreen("\x1b[2Ja\x1b]0;title\x07b\x1b(Bcdefg\nh\ni\n", 4, 2)
	if got := string([]rune{s.At(0, 0).Rune, s.At(1, 0).Rune, s.At(2, 0).Rune, s.At(3, 0).Rune}); got != "abcd" {
		t.Errorf("row 0 = %q", got)
	}
	if s.At(0, 1).Rune != 'h' {
		t.Errorf("row 1 = %q", s.At(0, 1).Rune)
	}
}

func TestParseScreenWideAndUnicode(t *testing.T) {
	s := ParseScreen("─│→✓✗⚠●\n日x", 8, 2)
	want := []rune("─│→✓✗⚠●")
	for i, r := range want {
		if s.At(i, 0).Rune != r {
			t.Errorf("col %d = %q, want %q", i, s.At(i, 0).Rune, r)
		}
	}
	if s.At(0, 1).Rune != '日' || !s.At(1, 1).Continuation || s.At(2, 1).Rune != 'x' {
		t.Errorf("wide rune row: %+v", s.Cells[8:11])
	}
}

func TestScreenBlank(t *testing.T) {
	if !ParseScreen("\n\n", 3, 2).Blank() {
		t.Error("empty capture not blank")
	}
	if ParseScreen("\x1b[44m \x1b[0m", 3, 2).Blank() {
		t.Error("a coloured background is something drawn")
	}
	if ParseScreen("x", 3, 2).Blank() {
		t.Error("text is something drawn")
	}
}
