package mcp

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/sipdbg/sipdbg/internal/demo"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// demoStore loads the demo capture.
func demoStore(t *testing.T) *session.Store {
	t.Helper()
	r, err := demo.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	s := session.NewStore()
	if err := pipeline.LoadConcurrent(r, s); err != nil {
		t.Fatal(err)
	}
	return s
}

// connect serves the captures over an in-memory connection.
func connect(t *testing.T, captures ...Capture) *sdk.ClientSession {
	t.Helper()
	ctx := t.Context()
	st, ct := sdk.NewInMemoryTransports()
	ss, err := New(captures, "test").Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ss.Close() })
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "test", Version: "v0"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

func callTool(t *testing.T, cs *sdk.ClientSession, name string, args map[string]any, out any) (string, bool) {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &sdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	var text strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*sdk.TextContent); ok {
			text.WriteString(tc.Text)
		}
	}
	if out != nil && !res.IsError {
		b, _ := json.Marshal(res.StructuredContent)
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s: %s: %v", name, b, err)
		}
	}
	return text.String(), res.IsError
}

// With two captures, the tools that read one ask which, by name, base
// name or number; list_calls and summary read both.
func TestSeveralCaptures(t *testing.T) {
	s := demoStore(t)
	cs := connect(t, Capture{Name: "/tmp/a/one.pcap", Store: s}, Capture{Name: "two.pcap", Store: demoStore(t)})
	var list ListCallsOut
	callTool(t, cs, "list_calls", map[string]any{"problems": true}, &list)
	if list.Matched != 4 || list.Calls[0].Capture != "/tmp/a/one.pcap" || list.Calls[2].Capture != "two.pcap" || list.Calls[2].Number != 2 {
		t.Errorf("list_calls over two captures: %+v", list)
	}
	if text, isErr := callTool(t, cs, "call", map[string]any{"number": 3}, nil); !isErr || !strings.Contains(text, `say which (capture: "/tmp/a/one.pcap", "two.pcap")`) {
		t.Errorf("call without capture: %v %q", isErr, text)
	}
	for _, name := range []string{"/tmp/a/one.pcap", "one.pcap", "1"} {
		var call CallDetail
		callTool(t, cs, "call", map[string]any{"capture": name, "number": 3}, &call)
		if call.Capture != "/tmp/a/one.pcap" || call.Verdict == nil || call.Verdict.Code != "ack-missing" || len(call.Findings) != 3 {
			t.Errorf("capture %q call 3: %+v", name, call)
		}
	}
	if text, isErr := callTool(t, cs, "message", map[string]any{"capture": "three.pcap", "number": 1}, nil); !isErr || !strings.Contains(text, `no capture "three.pcap"`) {
		t.Errorf("unknown capture: %v %q", isErr, text)
	}
	var sum SummaryOut
	text, _ := callTool(t, cs, "summary", nil, &sum)
	if len(sum.Captures) != 2 || strings.Count(text, "ack-missing") != 4 {
		t.Errorf("summary of two: %+v\n%s", sum, text)
	}
	callTool(t, cs, "summary", map[string]any{"capture": "2"}, &sum)
	if len(sum.Captures) != 1 || sum.Captures[0].Capture != "two.pcap" {
		t.Errorf("summary of capture 2: %+v", sum)
	}
}

// The arguments are checked: a call by number and Call-ID at once, by
// neither, a message out of range.
func TestToolErrors(t *testing.T) {
	cs := connect(t, Capture{Name: "demo.pcap", Store: demoStore(t)})
	for _, c := range []struct {
		tool string
		args map[string]any
		want string
	}{
		{"call", map[string]any{}, "give the call's number"},
		{"call", map[string]any{"number": 1, "call_id": "x"}, "not both"},
		{"call", map[string]any{"number": -1}, "no call -1"},
		{"call", map[string]any{"call_id": "nope"}, `no call with Call-ID "nope"`},
		{"message", map[string]any{"number": 0}, "no message 0 (its messages are 1 to 43)"},
		{"list_calls", map[string]any{"capture": "x"}, `no capture "x"`},
	} {
		text, isErr := callTool(t, cs, c.tool, c.args, nil)
		if !isErr || !strings.Contains(text, c.want) {
			t.Errorf("%s %v: %v %q, want an error with %q", c.tool, c.args, isErr, text, c.want)
		}
	}
	var list ListCallsOut
	callTool(t, cs, "list_calls", map[string]any{"from": "ALICE", "to": "bob@core", "call_id": "4afc"}, &list)
	if len(list.Calls) != 1 || list.Calls[0].Number != 4 {
		t.Errorf("list_calls from/to/call_id: %+v", list)
	}
}
