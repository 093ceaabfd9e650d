package config

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"

	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
	"github.com/sipdbg/sipdbg/tui/calllist"
	"github.com/sipdbg/sipdbg/tui/keys"
	"github.com/sipdbg/sipdbg/tui/styles"
)

// schema is the part of JSON Schema (2020-12) docs/config.schema.json
// uses; validate refuses any other keyword, so that the schema never
// says something this test does not check.
type schema struct {
	Ref                  string             `json:"$ref"`
	Type                 string             `json:"type"`
	Enum                 []any              `json:"enum"`
	Properties           map[string]*schema `json:"properties"`
	PatternProperties    map[string]*schema `json:"patternProperties"`
	AdditionalProperties *bool              `json:"additionalProperties"`
	Required             []string           `json:"required"`
	Items                *schema            `json:"items"`
	AnyOf                []*schema          `json:"anyOf"`
	OneOf                []*schema          `json:"oneOf"`
	Pattern              string             `json:"pattern"`
	MinItems             *int               `json:"minItems"`
	UniqueItems          bool               `json:"uniqueItems"`
	MinLength            *int               `json:"minLength"`
	Minimum              *float64           `json:"minimum"`
	Maximum              *float64           `json:"maximum"`
	Defs                 map[string]*schema `json:"$defs"`
}

// known are the keywords schema reads, and the annotations it may skip.
var known = map[string]bool{"$ref": true, "type": true, "enum": true, "properties": true, "patternProperties": true, "additionalProperties": true,
	"required": true, "items": true, "anyOf": true, "oneOf": true, "pattern": true, "minItems": true, "uniqueItems": true,
	"minLength": true, "minimum": true, "maximum": true, "$defs": true,
	"$schema": true, "$id": true, "title": true, "description": true, "default": true}

func (s *schema) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	for k := range raw {
		if !known[k] {
			return fmt.Errorf("keyword %q: the test's validator does not know it", k)
		}
	}
	type plain schema // without this method
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*s = schema(p)
	return nil
}

func loadSchema(t *testing.T) *schema {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testenv.Root(t), "docs", "config.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s schema
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("docs/config.schema.json: %v", err)
	}
	return &s
}

// validate checks v (as go-toml decodes into any) against s; root holds
// the $defs. It returns the first problem, with its path.
func validate(root, s *schema, v any, path string) error {
	if s.Ref != "" {
		name, ok := strings.CutPrefix(s.Ref, "#/$defs/")
		if !ok || root.Defs[name] == nil {
			return fmt.Errorf("%s: unknown $ref %q", path, s.Ref)
		}
		if err := validate(root, root.Defs[name], v, path); err != nil {
			return err
		}
	}
	if s.Type != "" && jsonType(v) != s.Type && !(s.Type == "number" && jsonType(v) == "integer") {
		return fmt.Errorf("%s: a %s, not a %s", path, s.Type, jsonType(v))
	}
	if s.Enum != nil && !slices.ContainsFunc(s.Enum, func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(v) }) {
		return fmt.Errorf("%s: %v is none of %v", path, v, s.Enum)
	}
	if s.Pattern != "" {
		if str, ok := v.(string); !ok || !regexp.MustCompile(s.Pattern).MatchString(str) {
			return fmt.Errorf("%s: %v does not match %s", path, v, s.Pattern)
		}
	}
	if str, ok := v.(string); ok && s.MinLength != nil && len([]rune(str)) < *s.MinLength {
		return fmt.Errorf("%s: shorter than %d", path, *s.MinLength)
	}
	if n, ok := v.(int64); ok {
		if s.Minimum != nil && float64(n) < *s.Minimum || s.Maximum != nil && float64(n) > *s.Maximum {
			return fmt.Errorf("%s: %d out of range", path, n)
		}
	}
	if obj, ok := v.(map[string]any); ok {
		for _, r := range s.Required {
			if _, ok := obj[r]; !ok {
				return fmt.Errorf("%s: %s is required", path, r)
			}
		}
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			sub, ok := s.Properties[k]
			if !ok {
				// A key no property names is checked by the patterns it matches.
				for pat, ps := range s.PatternProperties {
					if regexp.MustCompile(pat).MatchString(k) {
						if err := validate(root, ps, obj[k], path+"."+k); err != nil {
							return err
						}
						ok = true
					}
				}
			}
			if !ok && s.AdditionalProperties != nil && !*s.AdditionalProperties {
				return fmt.Errorf("%s: unknown key %q", path, k)
			}
			if sub != nil {
				if err := validate(root, sub, obj[k], path+"."+k); err != nil {
					return err
				}
			}
		}
	}
	if arr, ok := v.([]any); ok {
		if s.MinItems != nil && len(arr) < *s.MinItems {
			return fmt.Errorf("%s: fewer than %d items", path, *s.MinItems)
		}
		seen := map[string]bool{}
		for i, item := range arr {
			if s.UniqueItems {
				if k := fmt.Sprint(item); seen[k] {
					return fmt.Errorf("%s[%d]: %v twice", path, i, item)
				} else {
					seen[k] = true
				}
			}
			if s.Items != nil {
				if err := validate(root, s.Items, item, fmt.Sprintf("%s[%d]", path, i)); err != nil {
					return err
				}
			}
		}
	}
	if s.AnyOf != nil && !slices.ContainsFunc(s.AnyOf, func(sub *schema) bool { return validate(root, sub, v, path) == nil }) {
		return fmt.Errorf("%s: %v matches none of anyOf", path, v)
	}
	if s.OneOf != nil {
		n := 0
		for _, sub := range s.OneOf {
			if validate(root, sub, v, path) == nil {
				n++
			}
		}
		if n != 1 {
			return fmt.Errorf("%s: %v matches %d of oneOf, not 1", path, v, n)
		}
	}
	return nil
}

func jsonType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case int64:
		return "integer"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func decodeTOML(t *testing.T, text string) any {
	t.Helper()
	var v map[string]any
	if err := toml.Unmarshal([]byte(text), &v); err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	return v
}

// TestSchemaExample: the example the repository ships validates against
// the schema.
func TestSchemaExample(t *testing.T) {
	s := loadSchema(t)
	b, err := os.ReadFile(filepath.Join(testenv.Root(t), "docs", "config.example.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := validate(s, s, decodeTOML(t, string(b)), "config"); err != nil {
		t.Error("docs/config.example.toml:", err)
	}
}

// TestSchemaAgreesWithParse: every file below is judged alike by the
// schema and by Parse, those both take (every property of the schema,
// every action) and those both refuse. Column names are in the code's
// letter case: Parse also takes "verdict", the schema does not.
func TestSchemaAgreesWithParse(t *testing.T) {
	s := loadSchema(t)
	var rebinds strings.Builder
	for _, a := range keys.Actions() {
		fmt.Fprintf(&rebinds, "%s = []\n", a)
	}
	// Every style, every colour name, every index: the schema's pattern
	// and ParseColour agree on all of them.
	var colors strings.Builder
	colours := append(styles.ColourNames(), "default", "#fff", "#FF5f5F")
	for i := range 256 {
		colours = append(colours, fmt.Sprint(i))
	}
	for i, name := range styles.FieldNames() {
		fmt.Fprintf(&colors, "%s = %q\n", name, colours[i%len(colours)])
	}
	good := []string{
		`theme = "mono"`,
		`credentials = "/nonexistent/creds"`,
		`keylog = "/tmp/k.log"`,
		`keylog = ["/tmp/k.log", "~/k2.log"]`,
		"[list]\ncolumns = [\"#\", \"Verdict\", \"Status\", \"hdr:User-Agent\", { header = \"Server\", title = \"S\", width = 24 }, { column = \"From\", width = 30 }]",
		"[list]\ncolumns = [\"Auth\", \"hdr:f\"]",
		"[keys]\n" + rebinds.String(),
		"[keys]\nquit = \"Q\"\nfilter = [\"F\", \"/\"]",
		"[aliases]\n\"192.0.2.10\" = \"edge\"\n\"192.0.2.10:5060\" = \"edge-sip\"\n\"[2001:db8::1]:5060\" = \"core\"\n\"2001:db8::2\" = \"Yealink 42\"\n\"::ffff:198.51.100.7\" = \"mapped\"",
		"aliases = { \"255.255.255.255:65535\" = \"b\" }",
		"[colors]\n" + colors.String(),
		"theme = \"light\"\n[colors]\nerror = \"#ff5f5f\"\nwarning = \"214\"\nsuccess = \"green\"\nselected = { fg = \"black\", bg = \"11\", bold = true }\ndim = { faint = true }",
		"colors = { media = { italic = true }, status = \"default\" }",
		"[colors.selected]\nbg = \"blue\"",
		"[[commands]]\nkey = \"w\"\ntitle = \"Wireshark\"\nrun = \"wireshark -r {pcap}\"\ninteractive = false\n[[commands]]\nkey = \"ctrl+y\"\nrun = \"echo {callid} {file}\"",
	}
	for _, c := range colours {
		good = append(good, fmt.Sprintf("[colors]\nselected = { fg = %q, bg = %q, bold = true, faint = false, italic = true, underline = false, reverse = true }", c, c))
	}
	for _, text := range good {
		if err := validate(s, s, decodeTOML(t, text), "config"); err != nil {
			t.Errorf("the schema refuses what Parse takes: %v\n%s", err, text)
		}
		if _, _, err := Parse("c.toml", []byte(text)); err != nil {
			t.Errorf("Parse refuses %v\n%s", err, text)
		}
	}
	bad := []string{
		`theme = "dark"`,
		`theme = 1`,
		`nope = 1`,
		`credentials = ["a"]`,
		`keylog = 1`,
		"[list]\ncolumns = [\"Nope\"]",
		"[list]\ncolumns = []",
		"[list]\ncolumns = [{ title = \"x\" }]",
		"[list]\ncolumns = [{ column = \"From\", header = \"X\" }]",
		"[list]\ncolumns = [{ column = \"From\", width = 0 }]",
		"[list]\ncolumns = [{ column = \"From\", width = 201 }]",
		"[list]\ncolumns = [{ column = \"From\", colour = \"red\" }]",
		"[list]\nrows = 3",
		"[keys]\nfly = \"f\"",
		"[keys]\nquit = 1",
		"[other]\nx = 1",
		"[aliases]\n\"edge.example.com\" = \"edge\"",
		"[aliases]\n\"192.0.2.300\" = \"edge\"",
		"[aliases]\n\"192.0.2.10:65536\" = \"edge\"",
		"[aliases]\n\"192.0.2.10:0\" = \"edge\"",
		"[aliases]\n\"[192.0.2.10]:5060\" = \"edge\"",
		"[aliases]\n\"192.0.2.10\" = \"\"",
		"[aliases]\n\"192.0.2.10\" = \" \"",
		"[aliases]\n\"192.0.2.10\" = \"a\\tb\"",
		"[aliases]\n\"192.0.2.10\" = 1",
		"aliases = 1",
		"[[commands]]\nkey = \"w\"",
		"[[commands]]\nrun = \"echo\"",
		"[[commands]]\nkey = \"w\"\nrun = \"echo\"\nshell = \"bash\"",
		"[[commands]]\nkey = \"w\"\nrun = \"echo\"\ninteractive = \"yes\"",
		"[commands]\nkey = \"w\"\nrun = \"echo\"",
		"[colors]\neror = \"red\"",
		"[colors]\nclient-error = \"red\"",
		"[colors]\nerror = 1",
		"[colors]\nerror = true",
		"[colors]\nerror = { blod = true }",
		"[colors]\nerror = { bold = \"yes\" }",
		"[colors]\nerror = { fg = 1 }",
		"colors = \"red\"",
	}
	for _, c := range []string{"", "#", "#ff5f5", "#ff5f5f5", "#ggg", "ff5f5f", "256", "-1", "+5", "007", "00", "1.5", " 1",
		"Red", "bright red", "bright_red", "bright-", "grey", "none", "Default", "0x10"} {
		bad = append(bad, fmt.Sprintf("[colors]\nerror = %q", c), fmt.Sprintf("[colors]\nselected = { bg = %q }", c))
	}
	for _, text := range bad {
		if err := validate(s, s, decodeTOML(t, text), "config"); err == nil {
			t.Errorf("the schema takes what Parse refuses:\n%s", text)
		}
		if _, _, err := Parse("c.toml", []byte(text)); err == nil {
			t.Errorf("Parse takes what the test calls wrong:\n%s", text)
		}
	}
}

// TestSchemaCoversConfig: the schema's fixed sets are the code's (themes,
// columns, actions), and every setting of Config has its property, so
// that a new one fails here until the schema describes it.
func TestSchemaCoversConfig(t *testing.T) {
	s := loadSchema(t)
	enum := func(sc *schema) []string {
		var out []string
		for _, e := range sc.Enum {
			out = append(out, e.(string))
		}
		return out
	}
	if got := enum(s.Properties["theme"]); !slices.Equal(got, styles.Names()) {
		t.Errorf("theme enum %q, the code's themes %q", got, styles.Names())
	}
	cols := s.Properties["list"].Properties["columns"].Items.AnyOf
	for _, sc := range []*schema{cols[0], cols[2].Properties["column"]} {
		if got, want := enum(sc), append(calllist.Names(), "Auth"); !slices.Equal(got, want) {
			t.Errorf("column enum %q, the code's columns %q", got, want)
		}
	}
	if got := slices.Sorted(maps.Keys(s.Properties["keys"].Properties)); !slices.Equal(got, slices.Sorted(slices.Values(keys.Actions()))) {
		t.Errorf("keys properties %q, the code's actions %q", got, keys.Actions())
	}
	if got := slices.Sorted(maps.Keys(s.Properties["colors"].Properties)); !slices.Equal(got, slices.Sorted(slices.Values(styles.FieldNames()))) {
		t.Errorf("colors properties %q, the code's styles %q", got, styles.FieldNames())
	}
	attrs := append(styles.ColourAttrs(), styles.FlagAttrs()...)
	if got := slices.Sorted(maps.Keys(s.Defs["style"].AnyOf[1].Properties)); !slices.Equal(got, slices.Sorted(slices.Values(attrs))) {
		t.Errorf("a style's properties %q, the code's attributes %q", got, attrs)
	}
	// Config's fields: where the file sets each ("" for what is derived).
	// Styles is the theme's, changed by [colors].
	where := map[string]string{"File": "", "Styles": "colors", "Theme": "theme", "Columns": "list.columns",
		"Keys": "keys", "Credentials": "credentials", "Keylog": "keylog", "Aliases": "aliases",
		"Commands": "commands"}
	props := map[string]bool{}
	for k, p := range s.Properties {
		props[k] = true
		for k2 := range p.Properties {
			if k != "keys" && k != "colors" {
				props[k+"."+k2] = true
			}
		}
	}
	for f := range reflect.TypeFor[Config]().Fields() {
		path, ok := where[f.Name]
		switch {
		case !ok:
			t.Errorf("Config.%s is new: add it to docs/config.schema.json and to this test's table", f.Name)
		case path != "" && !props[path]:
			t.Errorf("Config.%s: the schema has no %s", f.Name, path)
		}
		delete(props, path)
	}
	delete(props, "list") // list.columns's table
	for p := range props {
		t.Errorf("the schema's %s is no setting of Config", p)
	}
}
