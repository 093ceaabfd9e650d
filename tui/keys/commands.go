package keys

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
)

// The configuration's commands ([[commands]]) are keys too: each runs a
// shell command on the call list and in a flow. They are kept in
// Map.Commands, in the order of the file, so that the help and the
// footer of those screens list them with the actions, from the one map.

// commandScreens are the screens that answer the command keys.
var commandScreens = []Screen{List, Flow}

// AddCommand binds key k to a command described as title in the help and
// the footer. A key that an action of the list or the flow holds, or
// another command, is an error: on a screen one key means one thing.
func (m *Map) AddCommand(k, title string) error {
	if err := CheckKey(k); err != nil {
		return err
	}
	if k == "ctrl+c" {
		return fmt.Errorf("ctrl+c always quits: it cannot run a command")
	}
	for _, a := range m.actions() {
		if !slices.Contains(a.b.Keys(), k) {
			continue
		}
		for _, s := range m.screensOf(a.b) {
			if slices.Contains(commandScreens, s) {
				return fmt.Errorf("%q is already the key of %s on the %s (rebind it in [keys], or choose another key)", k, a.name, strings.ToLower(s.String()))
			}
		}
	}
	for _, c := range m.Commands {
		if slices.Contains(c.Keys(), k) {
			return fmt.Errorf("%q is already the key of the command %q", k, c.Help().Desc)
		}
	}
	m.Commands = append(slices.Clip(m.Commands), key.NewBinding(key.WithKeys(k), key.WithHelp(helpKey([]string{k}), title)))
	return nil
}

// commandKeys are the command bindings screen s answers.
func (m Map) commandKeys(s Screen) []key.Binding {
	if !slices.Contains(commandScreens, s) {
		return nil
	}
	return m.Commands
}
