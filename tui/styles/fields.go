package styles

import "charm.land/lipgloss/v2"

// field is one style of Styles under the name a configuration file
// gives it. The table is the one place that ties names to fields: the
// config parser, its schema test and the styles test all read it, so
// that a style added to Styles without a name here fails a test.
type field struct {
	name string
	get  func(*Styles) *lipgloss.Style
}

// fields is a function, not a package-level table, so that nothing can
// change it.
func fields() []field {
	return []field{
		{"title", func(s *Styles) *lipgloss.Style { return &s.Title }},
		{"header", func(s *Styles) *lipgloss.Style { return &s.Header }},
		{"dim", func(s *Styles) *lipgloss.Style { return &s.Dim }},
		{"selected", func(s *Styles) *lipgloss.Style { return &s.Selected }},
		{"bold", func(s *Styles) *lipgloss.Style { return &s.Bold }},
		{"request", func(s *Styles) *lipgloss.Style { return &s.Request }},
		{"provisional", func(s *Styles) *lipgloss.Style { return &s.Provisional }},
		{"success", func(s *Styles) *lipgloss.Style { return &s.Success }},
		{"redirect", func(s *Styles) *lipgloss.Style { return &s.Redirect }},
		{"client_error", func(s *Styles) *lipgloss.Style { return &s.ClientError }},
		{"server_error", func(s *Styles) *lipgloss.Style { return &s.ServerError }},
		{"info", func(s *Styles) *lipgloss.Style { return &s.Info }},
		{"warning", func(s *Styles) *lipgloss.Style { return &s.Warning }},
		{"error", func(s *Styles) *lipgloss.Style { return &s.Error }},
		{"header_name", func(s *Styles) *lipgloss.Style { return &s.HeaderName }},
		{"auth_param", func(s *Styles) *lipgloss.Style { return &s.AuthParam }},
		{"status", func(s *Styles) *lipgloss.Style { return &s.Status }},
		{"media", func(s *Styles) *lipgloss.Style { return &s.Media }},
	}
}

// FieldNames lists the styles' configuration names, in Styles' order.
func FieldNames() []string {
	var out []string
	for _, f := range fields() {
		out = append(out, f.name)
	}
	return out
}

// Field returns the style a configuration name stands for, to read or
// change in place; nil for a name FieldNames does not list.
func (s *Styles) Field(name string) *lipgloss.Style {
	for _, f := range fields() {
		if f.name == name {
			return f.get(s)
		}
	}
	return nil
}
