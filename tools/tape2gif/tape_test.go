package main

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestParseTape(t *testing.T) {
	src := `# a comment
Output out.gif
Set FontSize 14
Set Width 800
Set Height 400
Set Shell "bash"
Set TypingSpeed 20ms

Hide
Type "make && clear"
Enter
Sleep 2s
Show
Type@5ms 'say "hi"'   # trailing comment
Down 3
Up@10ms 2
Tab
Escape
Space
Backspace 2
Ctrl+C
Sleep 0.5
Type "ls" Sleep 100ms Enter
`
	tp, err := ParseTape("t.tape", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if tp.Output != "out.gif" || tp.FontSize != 14 || tp.Width != 800 || tp.Height != 400 ||
		tp.Shell != "bash" || tp.TypingSpeed != 20*time.Millisecond {
		t.Errorf("settings: %+v", tp)
	}
	want := []Action{
		{Line: 9, Kind: ActHide},
		{Line: 10, Kind: ActType, Text: "make && clear"},
		{Line: 11, Kind: ActKey, Key: "Enter", Count: 1},
		{Line: 12, Kind: ActSleep, Duration: 2 * time.Second},
		{Line: 13, Kind: ActShow},
		{Line: 14, Kind: ActType, Text: `say "hi"`, Speed: 5 * time.Millisecond},
		{Line: 15, Kind: ActKey, Key: "Down", Count: 3},
		{Line: 16, Kind: ActKey, Key: "Up", Count: 2, Speed: 10 * time.Millisecond},
		{Line: 17, Kind: ActKey, Key: "Tab", Count: 1},
		{Line: 18, Kind: ActKey, Key: "Escape", Count: 1},
		{Line: 19, Kind: ActKey, Key: "Space", Count: 1},
		{Line: 20, Kind: ActKey, Key: "BSpace", Count: 2},
		{Line: 21, Kind: ActKey, Key: "C-c", Count: 1},
		{Line: 22, Kind: ActSleep, Duration: 500 * time.Millisecond},
		{Line: 23, Kind: ActType, Text: "ls"},
		{Line: 23, Kind: ActSleep, Duration: 100 * time.Millisecond},
		{Line: 23, Kind: ActKey, Key: "Enter", Count: 1},
	}
	if !reflect.DeepEqual(tp.Actions, want) {
		t.Errorf("actions:\n got %+v\nwant %+v", tp.Actions, want)
	}
}

func TestParseTapeDefaults(t *testing.T) {
	tp, err := ParseTape("t.tape", strings.NewReader("Type \"x\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if tp.Shell != "bash" || tp.TypingSpeed <= 0 || tp.Width <= 0 || tp.FontSize <= 0 {
		t.Errorf("defaults not set: %+v", tp)
	}
}

func TestParseTapeErrors(t *testing.T) {
	for _, tc := range []struct {
		src, want string
	}{
		{"Output a.gif\n\nWiggle 3\n", "t.tape:3: unknown command \"Wiggle\""},
		{"Type \"unterminated\n", "t.tape:1: unterminated string"},
		{"# ok\nSleep forever\n", "t.tape:2: the Sleep command: bad duration"},
		{"Set Theme Dracula\n", "t.tape:1: unsupported setting \"Theme\""},
		{"Set FontSize huge\n", "t.tape:1: the FontSize setting"},
		{"Type hello\n", "t.tape:1: the Type command needs a quoted string"},
		{"Down 0\n", "t.tape:1: Down: bad count"},
		{"Ctrl+Hyper+X\n", "t.tape:1: unknown modifier"},
		{"Sleep@1s 2s\n", "t.tape:1: Sleep takes no @speed"},
		{"\n\n\"stray\"\n", "t.tape:3: expected a command"},
		{"Type@fast \"x\"\n", "t.tape:1: Type: bad speed"},
	} {
		_, err := ParseTape("t.tape", strings.NewReader(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want an error containing %q", tc.src, err, tc.want)
		}
	}
}

// The repository's own tape must stay within what tape2gif understands.
func TestParseRepoDemoTape(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(file), "..", "..", "demo.tape")
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("no demo.tape: %v", err)
	}
	defer f.Close()
	tp, err := ParseTape(path, f)
	if err != nil {
		t.Fatal(err)
	}
	if tp.Output == "" || len(tp.Actions) == 0 {
		t.Errorf("demo.tape parsed to nothing: %+v", tp)
	}
}

func TestModifiedKey(t *testing.T) {
	for in, want := range map[string]string{
		"Ctrl+C":     "C-c",
		"Ctrl+Alt+x": "C-M-x",
		"Alt+Enter":  "M-Enter",
		"Alt+b":      "M-b",
	} {
		got, err := modifiedKey(in)
		if err != nil || got != want {
			t.Errorf("modifiedKey(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
