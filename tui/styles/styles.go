// Package styles builds the interface's styles once, from semantic names.
//
// It imports nothing of sipdbg.
package styles

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
)

// Styles is every style the components use.
type Styles struct {
	Title, Header, Dim, Selected, Bold lipgloss.Style
	Request, Provisional, Success      lipgloss.Style
	Redirect, ClientError, ServerError lipgloss.Style
	Info, Warning, Error               lipgloss.Style
	HeaderName, AuthParam, Status      lipgloss.Style
	// Media draws what is RTP, not SIP: the ladder's stream arrows, the
	// streams pane's timelines.
	Media lipgloss.Style
}

// Names lists the themes ByName knows, the default first.
func Names() []string { return []string{"default", "light", "mono", "high-contrast"} }

// ByName returns the styles of a theme (see Names).
func ByName(name string) (Styles, error) {
	switch name {
	case "default", "":
		return Default(), nil
	case "light":
		return Light(), nil
	case "mono":
		return Mono(), nil
	case "high-contrast":
		return HighContrast(), nil
	}
	return Styles{}, fmt.Errorf("unknown theme %q (known: %s)", name, strings.Join(Names(), ", "))
}

func plain() lipgloss.Style { return lipgloss.NewStyle() }

// fg is an ANSI-16 colour: 0–7 normal, 8–15 bright. ANSI-16 and not 256
// or true colour, so that every theme reads on a 16-colour terminal and
// follows the terminal's own palette; NO_COLOR and monochrome terminals
// lose them at output (the renderer downsamples), not here.
func fg(n int) lipgloss.Style { return plain().Foreground(lipgloss.ANSIColor(n)) }

// base holds what every coloured theme shares: text attributes only.
func base() Styles {
	return Styles{
		Title:    plain().Bold(true),
		Header:   plain().Bold(true),
		Dim:      plain().Faint(true),
		Selected: plain().Reverse(true),
		Bold:     plain().Bold(true),
		Request:  plain().Bold(true),
		Status:   plain().Reverse(true),
	}
}

// Default is the theme for dark backgrounds.
func Default() Styles {
	s := base()
	s.Provisional, s.Success, s.Redirect = fg(3), fg(2), fg(6)
	s.ClientError, s.ServerError = fg(1), fg(5)
	s.Info, s.Warning, s.Error = fg(4), fg(3), fg(1).Bold(true)
	s.HeaderName, s.AuthParam = fg(6), fg(3)
	s.Media = fg(5)
	return s
}

// Light is the theme for light backgrounds: yellow and cyan, pale on
// white in most palettes, give way to blue and magenta.
func Light() Styles {
	s := base()
	s.Provisional, s.Success, s.Redirect = fg(4), fg(2), fg(5)
	s.ClientError, s.ServerError = fg(1), fg(5).Bold(true)
	s.Info, s.Warning, s.Error = fg(4), fg(5), fg(1).Bold(true)
	s.HeaderName, s.AuthParam = fg(4), fg(5)
	s.Media = fg(5)
	return s
}

// Mono uses no colour at all, only bold, reverse and faint: for
// terminals whose palette makes colours unreadable, and for screenshots.
func Mono() Styles {
	s := base()
	s.Provisional, s.Success, s.Redirect = plain().Faint(true), plain(), plain()
	s.ClientError, s.ServerError = plain().Bold(true), plain().Bold(true)
	s.Info, s.Warning, s.Error = plain(), plain().Bold(true), plain().Bold(true)
	s.HeaderName, s.AuthParam = plain().Bold(true), plain().Faint(true)
	s.Media = plain().Italic(true)
	return s
}

// HighContrast uses the bright colours and bold, and nothing faint:
// faint text is what low-contrast screens and projectors lose first.
func HighContrast() Styles {
	s := base()
	s.Dim = plain()
	s.Selected, s.Status = plain().Reverse(true).Bold(true), plain().Reverse(true).Bold(true)
	s.Provisional, s.Success, s.Redirect = fg(11), fg(10), fg(14)
	s.ClientError, s.ServerError = fg(9).Bold(true), fg(13).Bold(true)
	s.Info, s.Warning, s.Error = fg(12), fg(11).Bold(true), fg(9).Bold(true)
	s.HeaderName, s.AuthParam = fg(14), fg(11)
	s.Media = fg(13)
	return s
}

// ForStatus returns the style of a response code, or Request for 0.
func (s Styles) ForStatus(code uint16) lipgloss.Style {
	switch {
	case code == 0:
		return s.Request
	case code < 200:
		return s.Provisional
	case code < 300:
		return s.Success
	case code < 400:
		return s.Redirect
	case code < 500:
		return s.ClientError
	}
	return s.ServerError
}
