// Package styles builds the interface's styles once, from semantic names.
package styles

import (
	"charm.land/lipgloss/v2"
)

// Styles is every style the components use.
type Styles struct {
	Title, Header, Dim, Selected, Bold lipgloss.Style
	Request, Provisional, Success      lipgloss.Style
	Redirect, ClientError, ServerError lipgloss.Style
	Info, Warning, Error               lipgloss.Style
	HeaderName, AuthParam, Status      lipgloss.Style
}

// Default returns the styles. Colours are ANSI-16 so that they read on
// 16-colour terminals; NO_COLOR and monochrome terminals lose them at
// output (the renderer downsamples), not here.
func Default() Styles {
	c := func(n int) lipgloss.Style { return lipgloss.NewStyle().Foreground(lipgloss.ANSIColor(n)) }
	return Styles{
		Title:       lipgloss.NewStyle().Bold(true),
		Header:      lipgloss.NewStyle().Bold(true),
		Dim:         lipgloss.NewStyle().Faint(true),
		Selected:    lipgloss.NewStyle().Reverse(true),
		Bold:        lipgloss.NewStyle().Bold(true),
		Request:     lipgloss.NewStyle().Bold(true),
		Provisional: c(3),
		Success:     c(2),
		Redirect:    c(6),
		ClientError: c(1),
		ServerError: c(5),
		Info:        c(4),
		Warning:     c(3),
		Error:       c(1).Bold(true),
		HeaderName:  c(6),
		AuthParam:   c(3),
		Status:      lipgloss.NewStyle().Reverse(true),
	}
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
