package tui

import "github.com/sipdbg/sipdbg/tui/config"

// WithConfig applies a configuration that config.Load checked whole: its
// theme (the help included), its key map, its call-list columns and its
// aliases. The credentials default is the command's business: it
// arrives in opt.
func (m Model) WithConfig(cfg config.Config) Model {
	m.st, m.keys = cfg.Styles, cfg.Keys
	m = m.WithCommands(cfg.Commands)
	m.help.Styles = helpStyles(m.st)
	m.own()
	m.base().list.SetColumns(cfg.Columns)
	m.aliases = cfg.Aliases
	m.base().store.SetAliases(cfg.Aliases) // before the first batch: the store is read from the start
	return m
}
