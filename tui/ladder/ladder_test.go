package ladder

import (
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/sipdbg/sipdbg/internal/demo"
	"github.com/sipdbg/sipdbg/internal/testkit/golden"
	"github.com/sipdbg/sipdbg/tui/styles"
)

func TestLadderGolden(t *testing.T) {
	s, err := demo.Store()
	if err != nil {
		t.Fatal(err)
	}
	call := s.Calls()[3] // the INVITE challenged by the proxy (407) and the core (401)
	notes := map[int32]string{call.Msgs[1]: "challenge", call.Msgs[3]: "credentials"}
	l := Build(s, call.Msgs, false, notes)
	if len(l.Columns) != 4 || len(l.Rows) != len(call.Msgs) {
		t.Fatalf("%d columns, %d rows", len(l.Columns), len(l.Rows))
	}
	golden.Check(t, "invite-160x20", l.View(160, 0, 20, 1, styles.Default()))
	golden.Check(t, "invite-80x12", l.View(80, 3, 12, 5, styles.Default()))
	byHost := Build(s, call.Msgs, true, nil)
	if len(byHost.Columns) != 1 {
		t.Errorf("by host: %d columns, want 1 (all on 127.0.0.1)", len(byHost.Columns))
	}
	if !strings.Contains(golden.ASCII(byHost.View(80, 0, 4, -1, styles.Default())), "↺") {
		t.Error("messages within one host are not drawn as self arrows")
	}
}

// A failure in the note column is drawn in the error style, a success in
// the success style, the other steps in the info style.
func TestNoteStyles(t *testing.T) {
	s, err := demo.Store()
	if err != nil {
		t.Fatal(err)
	}
	call := s.Calls()[1]
	st := styles.Default()
	for note, style := range map[string]func(...string) string{"✗ rejected": st.Error.Render, "✓ accepted": st.Success.Render, "challenge": st.Info.Render} {
		l := Build(s, call.Msgs, false, map[int32]string{call.Msgs[1]: note})
		want := style(" " + note)
		want = want[:strings.Index(want, note)] // the style's opening codes
		if v := l.View(80, 0, 4, -1, st); !strings.Contains(v, want+note) {
			t.Errorf("%q is not drawn in its style %q:\n%q", note, want, v)
		}
	}
}

// A method or a status code is never cut, and no line is wider than the
// screen, at any width from 80 up, for every call of the demo and every
// message of a generated capture's busiest calls.
func TestCodesNeverCut(t *testing.T) {
	s, err := demo.Store()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range s.Calls() {
		for _, byHost := range []bool{false, true} {
			l := Build(s, c.Msgs, byHost, nil)
			for _, w := range []int{80, 100, 120, 160} {
				lines := strings.Split(golden.ASCII(l.View(w, 0, len(l.Rows)+1, -1, styles.Default())), "\n")
				for i, r := range l.Rows {
					line := lines[i+1]
					if n := ansi.StringWidth(line); n > w {
						t.Errorf("%s at %d: row %d is %d cells", c.CallID, w, i, n)
					}
					if ess := essential(rowLabel(r)); !strings.Contains(line, ess) {
						t.Errorf("%s at %d: row %d lost %q: %q", c.CallID, w, i, ess, line)
					}
					if !strings.Contains(line, "#"+strconv.Itoa(r.Num)+" ") {
						t.Errorf("%s at %d: row %d has no #%d: %q", c.CallID, w, i, r.Num, line)
					}
				}
			}
		}
	}
}

func TestFit(t *testing.T) {
	for _, c := range []struct {
		label string
		room  int
		want  string
	}{
		{"407 Proxy Authentication Required", 40, "407 Proxy Authentication Required"},
		{"407 Proxy Authentication Required", 12, "407 Proxy A…"},
		{"407 Proxy Authentication Required", 5, "407"},
		{"INVITE (SDP) +auth", 7, "INVITE"},
		{"SUBSCRIBE", 3, "SUBSCRIBE"}, // the column is made wide enough for it (widths)
	} {
		if got := fit(c.label, c.room); got != c.want {
			t.Errorf("fit(%q, %d) = %q, want %q", c.label, c.room, got, c.want)
		}
	}
}

// Labels of any content are drawn without a panic and within the line:
// zero-width and wide runes, escapes (the label is made printable first,
// but the arrow must not depend on it).
func FuzzDrawArrow(f *testing.F) {
	f.Add("INVITE (SDP)", 11)
	f.Add("401 \x1b]52;c;x\x07Unauthorized", 12)
	f.Add("180 \u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301 Ringing", 9)
	f.Fuzz(func(t *testing.T, label string, n int) {
		n = 3 + int(uint(n)%60)
		cells := []rune(strings.Repeat(" ", n+4))
		out := drawArrow(Row{Label: label}, 0, n-1, cells)
		if got := len([]rune(out)); got != n {
			t.Fatalf("arrow of %d runes for %d cells: %q", got, n, out)
		}
	})
}
