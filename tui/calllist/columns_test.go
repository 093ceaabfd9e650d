package calllist

import (
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/internal/demo"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/styles"
)

func cols(t *testing.T, names ...string) []Column {
	t.Helper()
	var out []Column
	for _, n := range names {
		var c Column
		var err error
		if h, ok := strings.CutPrefix(n, "hdr:"); ok {
			c, err = Header(h)
		} else {
			c, err = Builtin(n)
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// TestHeaderColumn: the value is the header's in the first message that
// has it; compact forms work; the cache reads each message once and
// notices a call that is another one after an eviction renumbered them.
func TestHeaderColumn(t *testing.T) {
	s, err := demo.Store()
	if err != nil {
		t.Fatal(err)
	}
	var m Model
	m.SetColumns(cols(t, "#", "hdr:Server", "hdr:l"))
	m.Refresh(s)
	server, length := m.cols[1], m.cols[2]
	call := s.Calls()[2]
	if got := server.value(&m, s, call); got != "sipdbg-auth-lab edge (kamailio)" {
		t.Errorf("Server (in the responses only) = %q", got)
	}
	if got := length.value(&m, s, call); got != "203" {
		t.Errorf("l (Content-Length) = %q", got)
	}
	// A call with one message: the header is not there yet, then a new
	// message brings it, and only that message is read.
	one := &session.Call{Seq: call.Seq, CallID: call.CallID, Msgs: call.Msgs[:1]}
	var fresh Model
	fresh.SetColumns(cols(t, "hdr:Server"))
	if got := fresh.cols[0].value(&fresh, s, one); got != "" {
		t.Errorf("Server before any response = %q", got)
	}
	if got := fresh.cols[0].value(&fresh, s, call); got != "sipdbg-auth-lab edge (kamailio)" {
		t.Errorf("Server once the response came = %q", got)
	}
}

func TestPrintable(t *testing.T) {
	if got := printable("ok\x1b]52;c;Zm9v\x07 \u009b31m"); got != "ok ]52;c;Zm9v   31m" {
		t.Errorf("%q", got)
	}
}

// TestSortPositions: position 0 is the capture order whether # is shown
// or not, so that the list starts unsorted; the others follow the
// columns as shown.
func TestSortPositions(t *testing.T) {
	s, err := demo.Store()
	if err != nil {
		t.Fatal(err)
	}
	var m Model
	m.SetColumns(cols(t, "hdr:User-Agent", "Method", "Auth"))
	m.Refresh(s)
	if m.Columns() != 4 || m.SortName() != "#" || m.sortKey() != nil {
		t.Fatalf("%d positions, %q", m.Columns(), m.SortName())
	}
	head := strings.SplitN(m.View(s, 100, 10, defaultStyles()), "\n", 2)[0]
	if strings.ContainsAny(head, "▲▼") {
		t.Errorf("unsorted, but the header says otherwise: %q", head)
	}
	m.SortCol = 1
	m.Refresh(s)
	if m.SortName() != "User-Agent" {
		t.Errorf("position 1 is %q", m.SortName())
	}
	var got []string
	for _, c := range m.Shown(s) {
		got = append(got, m.cols[0].value(&m, s, c))
	}
	if strings.Join(got, ",") != "sipdbg-auth-lab authclient.py,sipdbg-auth-lab authclient.py,sipp-auth-lab,sipp-auth-lab" {
		t.Errorf("sorted by User-Agent: %v", got)
	}
	head = strings.SplitN(m.View(s, 100, 10, defaultStyles()), "\n", 2)[0]
	if !strings.Contains(head, "User-Agent▲") {
		t.Errorf("header %q", head)
	}
}

func TestWidths(t *testing.T) {
	var m Model
	cs := cols(t, "From", "Source", "hdr:User-Agent")
	cs[2] = cs[2].WithWidth(20)
	m.SetColumns(cs)
	// Narrow: Source gives its room to From; the header column keeps 20.
	if w := widths(m.columns(), 80); w[0] != 80-(0+1)-(0+1)-(20+1) || w[1] != 0 || w[2] != 20 {
		t.Errorf("80 cells: %v", w)
	}
	if w := widths(m.columns(), 160); w[0] != w[1] || w[2] != 20 {
		t.Errorf("160 cells: %v", w)
	}
	// The default set is laid out as before columns were configurable.
	if w := widths(builtins, 80); w[3] != 8 || w[6] != 0 || w[7] != 0 {
		t.Errorf("default at 80: %v", w)
	}
}

func TestBuiltinNames(t *testing.T) {
	if c, err := Builtin("destination"); err != nil || c.String() != "Destination" {
		t.Errorf("%v %v", c, err)
	}
	if _, err := Builtin("Fromm"); err == nil || !strings.Contains(err.Error(), `unknown column "Fromm" (known: #, Time,`) {
		t.Error(err)
	}
	var m Model
	m.SetColumns(cols(t, "From", "hdr:Server"))
	m.Reset(m.Opt)
	if len(m.cols) != 2 || m.cols[1].title != "Server" {
		t.Errorf("Reset lost the columns: %d", len(m.cols))
	}
}

func defaultStyles() styles.Styles { return styles.Default() }

// The optional columns: the codec a call settled on and the final answer
// that ended its method, read from the demo's packets.
func TestCodecAndStatusColumns(t *testing.T) {
	s, err := demo.Store()
	if err != nil {
		t.Fatal(err)
	}
	var m Model
	m.SetColumns(cols(t, "#", "Method", "codec", "Status"))
	m.Refresh(s)
	got := map[string]string{}
	for _, c := range s.Calls() {
		got[c.CallID] = c.Method + " " + m.cols[2].value(&m, s, c) + " | " + m.cols[3].value(&m, s, c)
	}
	want := map[string]string{}
	for _, c := range s.Calls() {
		switch c.State.String() {
		case "REGISTERED":
			want[c.CallID] = "REGISTER  | 200 OK"
		case "AUTH FAILED":
			want[c.CallID] = "REGISTER  | 401 Unauthorized"
		}
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %q, want %q", id, got[id], w)
		}
	}
	invites := 0
	for _, c := range s.Calls() {
		if c.Method == "INVITE" {
			invites++
			if v := got[c.CallID]; !strings.HasPrefix(v, "INVITE PCMU | ") {
				t.Errorf("INVITE %s: %q", c.CallID, v)
			}
		}
	}
	if invites != 2 || len(want) != 2 {
		t.Fatalf("the demo changed: %d INVITEs, %v", invites, got)
	}
}
