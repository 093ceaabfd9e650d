package styles

import (
	"fmt"
	"image/color"
	"slices"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
)

// ColourNames are the names ParseColour takes for the 16 ANSI colours,
// in their index order (red is 1, bright-black 8).
func ColourNames() []string {
	base := []string{"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"}
	out := slices.Clone(base)
	for _, n := range base {
		out = append(out, "bright-"+n)
	}
	return out
}

// ParseColour reads a colour as a configuration file writes it:
//
//	"#rgb", "#rrggbb"  true colour (the renderer downsamples it for a
//	                   256- or 16-colour terminal, and drops it for NO_COLOR)
//	"0" … "255"        an ANSI 256 index (0–15 the terminal's palette)
//	"red", "bright-red" … one of ColourNames, the terminal's palette too
//	"default"          no colour: the terminal's own, taking away the theme's
//
// Anything else is an error; numbers are written without leading zeros
// or sign so that the file and the JSON schema's pattern agree.
func ParseColour(s string) (color.Color, error) {
	switch {
	case s == "default":
		return lipgloss.NoColor{}, nil
	case strings.HasPrefix(s, "#"):
		if (len(s) == 4 || len(s) == 7) && isHex(s[1:]) {
			return lipgloss.Color(s), nil
		}
	case s != "" && s[0] >= '0' && s[0] <= '9':
		n, err := strconv.Atoi(s)
		if err == nil && n <= 255 && strconv.Itoa(n) == s {
			return lipgloss.ANSIColor(n), nil
		}
	default:
		// The same type the themes use (fg in styles.go), so that a
		// named colour follows the palette exactly as theirs do.
		if i := slices.Index(ColourNames(), s); i >= 0 {
			return lipgloss.ANSIColor(i), nil
		}
	}
	return nil, fmt.Errorf("bad colour %q (a colour is \"#rrggbb\", \"#rgb\", \"0\" to \"255\", \"default\" or one of %s)",
		s, strings.Join(ColourNames(), ", "))
}

func isHex(s string) bool {
	for _, c := range []byte(s) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// ColourAttrs and FlagAttrs are what a configuration may set in one
// style: two colours and five text attributes.
func ColourAttrs() []string { return []string{"fg", "bg"} }

// FlagAttrs: see ColourAttrs.
func FlagAttrs() []string { return []string{"bold", "faint", "italic", "underline", "reverse"} }

// SetColour returns st with the colour attr ("fg" or "bg") set to c and
// everything else as it was; false for another attr.
func SetColour(st lipgloss.Style, attr string, c color.Color) (lipgloss.Style, bool) {
	switch attr {
	case "fg":
		return st.Foreground(c), true
	case "bg":
		return st.Background(c), true
	}
	return st, false
}

// SetFlag returns st with the text attribute attr (see FlagAttrs) on or
// off and everything else as it was; false for another attr.
func SetFlag(st lipgloss.Style, attr string, on bool) (lipgloss.Style, bool) {
	switch attr {
	case "bold":
		return st.Bold(on), true
	case "faint":
		return st.Faint(on), true
	case "italic":
		return st.Italic(on), true
	case "underline":
		return st.Underline(on), true
	case "reverse":
		return st.Reverse(on), true
	}
	return st, false
}
