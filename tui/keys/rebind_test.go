package keys

import (
	"reflect"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
)

func TestActionsNameEveryField(t *testing.T) {
	typ := reflect.TypeFor[Map]()
	names := Actions()
	bindings := 0 // Commands, a list of the configuration's keys, is no action
	for f := range typ.Fields() {
		if f.Type == reflect.TypeFor[key.Binding]() {
			bindings++
		}
	}
	if len(names) != bindings || bindings < typ.NumField()-1 {
		t.Fatalf("%d actions for %d binding fields of %d", len(names), bindings, typ.NumField())
	}
	for _, want := range []string{"up", "page_down", "next_auth_error", "by_host", "quit"} {
		found := false
		for _, n := range names {
			found = found || n == want
		}
		if !found {
			t.Errorf("no action %q in %v", want, names)
		}
	}
}

func TestRebind(t *testing.T) {
	m := Default()
	if err := m.Rebind("filter", []string{"ctrl+f", "f3"}); err == nil {
		t.Error("ctrl+f is page_down's: the rebinding should fail")
	}
	if err := m.Rebind("filter", []string{"F", "f3"}); err != nil {
		t.Fatal(err)
	}
	if got := m.Filter.Help(); got.Key != "F/F3" || got.Desc != "filter calls" {
		t.Errorf("help %+v", got)
	}
	if !reflect.DeepEqual(m.Filter.Keys(), []string{"F", "f3"}) {
		t.Errorf("keys %v", m.Filter.Keys())
	}
	if err := m.Rebind("up", []string{"up", "w"}); err != nil || m.Up.Help().Key != "↑/w" {
		t.Errorf("up: %v, help %q", err, m.Up.Help().Key)
	}
	// Two actions may trade keys when each is rebound in turn from off.
	if err := m.Rebind("quit", nil); err != nil || m.Quit.Enabled() {
		t.Errorf("unbinding quit: %v, enabled %v", err, m.Quit.Enabled())
	}
	if err := m.Rebind("extended", []string{"q"}); err != nil {
		t.Error(err)
	}
	if err := m.Rebind("quit", []string{"x", "ctrl+c"}); err != nil || !key.Matches(fakeKey("x"), m.Quit) {
		t.Errorf("quit on x: %v", err)
	}
	if key.Matches(fakeKey("x"), m.Extended) {
		t.Error("x still opens the extended flow")
	}
}

type fakeKey string

func (k fakeKey) String() string { return string(k) }

func TestRebindErrors(t *testing.T) {
	cases := []struct {
		name string
		keys []string
		want string
	}{
		{"quitt", []string{"x"}, `unknown action "quitt" (known: up, down, page_up,`},
		{"filter", []string{"n"}, `"n" is already the key of next_auth_error on the call list (rebind that one too)`},
		{"filter", []string{"F", "F"}, `"F" is listed twice`},
		{"filter", []string{"ctrl+c"}, "ctrl+c always quits: it cannot be filter"},
		{"filter", []string{"ctlr+f"}, `key "ctlr+f": unknown modifier "ctlr"`},
		{"filter", []string{"alt+ctrl+f"}, `key "alt+ctrl+f": write the modifiers in the order ctrl+alt+shift+meta+hyper+super`},
		{"filter", []string{"pagedown"}, `key "pagedown": unknown key name "pagedown"`},
		{"filter", []string{" "}, `write "space" for the space bar`},
		{"filter", []string{"shift+f"}, `key "shift+f": a shifted character is written as itself ("F")`},
		{"filter", []string{""}, "an empty key name"},
		{"filter", []string{"f64"}, `unknown key name "f64"`},
	}
	for _, c := range cases {
		m := Default()
		err := m.Rebind(c.name, c.keys)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Rebind(%q, %q) = %v, want %q", c.name, c.keys, err, c.want)
		}
		if !reflect.DeepEqual(m.Filter.Keys(), Default().Filter.Keys()) {
			t.Errorf("Rebind(%q, %q) failed but changed the map", c.name, c.keys)
		}
	}
	for _, k := range []string{"a", "G", "?", "/", "+", "ctrl++", "ctrl+b", "alt+x", "shift+tab", "ctrl+shift+a", "f2", "f12", "pgdown", "space", "enter", "esc", "é"} {
		if err := CheckKey(k); err != nil {
			t.Errorf("CheckKey(%q): %v", k, err)
		}
	}
}
