package keys

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
)

// action is one field of Map under the name a configuration file uses.
type action struct {
	name string
	b    *key.Binding
}

// actions lists the bindings in field order, named in snake_case of the
// field names (NextAuthError: next_auth_error). Reflection rather than a
// hand-kept table, so that a new field is rebindable from the start.
func (m *Map) actions() []action {
	v := reflect.ValueOf(m).Elem()
	var out []action
	for i := range v.NumField() {
		if b, ok := v.Field(i).Addr().Interface().(*key.Binding); ok {
			out = append(out, action{snake(v.Type().Field(i).Name), b})
		}
	}
	return out
}

func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Actions returns the names Rebind takes, in the order of Map's fields.
func Actions() []string {
	var m Map
	var out []string
	for _, a := range m.actions() {
		out = append(out, a.name)
	}
	return out
}

// Rebind gives the action name (see Actions) the keys ks, in place of its
// own; no keys turns the action off. The help shows the new keys. A key
// that another action of the same screen holds is an error: on a screen
// one key means one thing (enter opens a call on the list and sends the
// form on the form). ctrl+c is left to quit, which it does whatever the
// map says.
func (m *Map) Rebind(name string, ks []string) error {
	var target *key.Binding
	for _, a := range m.actions() {
		if a.name == name {
			target = a.b
		}
	}
	if target == nil {
		return fmt.Errorf("unknown action %q (known: %s)", name, strings.Join(Actions(), ", "))
	}
	for i, k := range ks {
		if err := CheckKey(k); err != nil {
			return err
		}
		if slices.Contains(ks[:i], k) {
			return fmt.Errorf("%q is listed twice", k)
		}
		if k == "ctrl+c" && name != "quit" {
			return fmt.Errorf("ctrl+c always quits: it cannot be %s", name)
		}
		for _, a := range m.actions() {
			if a.b == target || !slices.Contains(a.b.Keys(), k) {
				continue
			}
			for _, s := range m.screensOf(a.b) {
				if slices.Contains(m.screensOf(target), s) {
					return fmt.Errorf("%q is already the key of %s on the %s (rebind that one too)", k, a.name, strings.ToLower(s.String()))
				}
			}
		}
	}
	desc := target.Help().Desc
	if len(ks) == 0 {
		target.SetKeys() // nil keys: disabled, and hidden from the help
	} else {
		target.SetKeys(slices.Clone(ks)...)
	}
	target.SetHelp(helpKey(ks), desc)
	return nil
}

// helpKey is the key column of the help for ks: the first two keys, with
// arrows for the arrow keys, as the default map writes them.
func helpKey(ks []string) string {
	var parts []string
	for _, k := range ks[:min(2, len(ks))] {
		switch {
		case k == "up":
			k = "↑"
		case k == "down":
			k = "↓"
		case k == "left":
			k = "←"
		case k == "right":
			k = "→"
		case k == "pgdown":
			k = "pgdn"
		case len(k) > 1 && k[0] == 'f' && isNumber(k[1:]):
			k = "F" + k[1:]
		}
		parts = append(parts, k)
	}
	return strings.Join(parts, "/")
}

func isNumber(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// modifiers in the order Bubble Tea writes them in a key's name.
var modifiers = []string{"ctrl", "alt", "shift", "meta", "hyper", "super"}

// named keys, as Bubble Tea names them (f1… are checked apart).
var named = map[string]bool{
	"enter": true, "tab": true, "backspace": true, "esc": true, "space": true,
	"up": true, "down": true, "left": true, "right": true, "begin": true, "find": true,
	"insert": true, "delete": true, "select": true, "pgup": true, "pgdown": true,
	"home": true, "end": true, "capslock": true, "scrolllock": true, "numlock": true,
	"printscreen": true, "pause": true, "menu": true,
}

// CheckKey reports whether k is a key name that a key press can have: a
// name a typo turns into one no key press matches would bind nothing,
// silently. Names are Bubble Tea's: "a", "G", "?", "ctrl+b", "alt+x",
// "shift+tab", "f2", "pgdown", "space".
func CheckKey(k string) error {
	if k == "" {
		return fmt.Errorf("an empty key name")
	}
	base, mods := k, []string(nil)
	if i := strings.LastIndexByte(k[:max(0, len(k)-1)], '+'); i > 0 {
		base, mods = k[i+1:], strings.Split(k[:i], "+")
	}
	last := -1
	for _, mod := range mods {
		j := slices.Index(modifiers, mod)
		if j < 0 {
			return fmt.Errorf("key %q: unknown modifier %q (known: %s)", k, mod, strings.Join(modifiers, ", "))
		}
		if j <= last {
			return fmt.Errorf("key %q: write the modifiers in the order %s", k, strings.Join(modifiers, "+"))
		}
		last = j
	}
	single := utf8.RuneCountInString(base) == 1
	if r, _ := utf8.DecodeRuneInString(base); single && r == ' ' {
		return fmt.Errorf("key %q: write \"space\" for the space bar", k)
	} else if single && !unicode.IsPrint(r) {
		return fmt.Errorf("key %q: not a printable character", k)
	}
	if single && len(mods) == 1 && mods[0] == "shift" {
		return fmt.Errorf("key %q: a shifted character is written as itself (%q)", k, strings.ToUpper(base))
	}
	if f, ok := strings.CutPrefix(base, "f"); ok && isNumber(f) {
		if n, _ := strconv.Atoi(f); n >= 1 && n <= 63 {
			return nil
		}
	}
	if !single && !named[base] {
		return fmt.Errorf("key %q: unknown key name %q (a character, f1…f63, or a named key: enter, esc, tab, space, up, pgdown, home…)", k, base)
	}
	return nil
}
