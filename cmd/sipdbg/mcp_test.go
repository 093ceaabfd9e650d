package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

// mcpSession builds sipdbg, starts sipdbg mcp on the files and connects
// to it over its standard input and output, as an assistant does.
func mcpSession(t *testing.T, files ...string) *sdk.ClientSession {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "sipdbg")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	cmd := exec.Command(bin, append([]string{"mcp"}, files...)...)
	cmd.Stderr = os.Stderr
	client := sdk.NewClient(&sdk.Implementation{Name: "sipdbg-test", Version: "v0"}, nil)
	cs, err := client.Connect(ctx, &sdk.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

// callTool calls a tool and returns its text and its structured output
// decoded into out.
func callTool(t *testing.T, cs *sdk.ClientSession, name string, args map[string]any, out any) string {
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
	if res.IsError {
		return "ERROR: " + text.String()
	}
	if out != nil {
		b, _ := json.Marshal(res.StructuredContent)
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s: structured output %s: %v", name, b, err)
		}
	}
	return text.String()
}

type mcpVerdict struct{ Code, Severity, Summary string }

type mcpCall struct {
	Number   int
	CallID   string `json:"call_id"`
	Method   string
	State    string
	Messages int
	Verdict  *mcpVerdict
}

// TestMCPServesTheDemo runs sipdbg mcp on the demo capture over a real
// stdio connection and calls every tool.
func TestMCPServesTheDemo(t *testing.T) {
	demoPcap := filepath.Join(testenv.Root(t), "internal", "demo", "demo.pcap")
	cs := mcpSession(t, demoPcap)

	tools, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range tools.Tools {
		names = append(names, tool.Name)
		if tool.Annotations == nil || !tool.Annotations.ReadOnlyHint {
			t.Errorf("tool %s is not marked read-only", tool.Name)
		}
	}
	if got := strings.Join(names, " "); got != "call list_calls message summary" {
		t.Errorf("tools: %s", got)
	}

	var list struct {
		Calls     []mcpCall
		Matched   int
		Truncated bool
	}
	callTool(t, cs, "list_calls", nil, &list)
	want := []struct{ method, state, verdict string }{
		{"REGISTER", "REGISTERED", "auth-accepted"},
		{"REGISTER", "AUTH FAILED", "credentials-rejected"},
		{"INVITE", "CHALLENGED", "ack-missing"},
		{"INVITE", "COMPLETED", "auth-accepted"},
	}
	if len(list.Calls) != len(want) || list.Matched != 4 || list.Truncated {
		t.Fatalf("list_calls: %+v", list)
	}
	for i, w := range want {
		c := list.Calls[i]
		if c.Number != i+1 || c.Method != w.method || c.State != w.state || c.Verdict == nil || c.Verdict.Code != w.verdict {
			t.Errorf("call %d: %+v %+v, want %v", i+1, c, c.Verdict, w)
		}
	}
	callTool(t, cs, "list_calls", map[string]any{"problems": true, "method": "invite"}, &list)
	if len(list.Calls) != 1 || list.Calls[0].Number != 3 || list.Calls[0].Verdict.Severity != "error" {
		t.Errorf("list_calls problems INVITE: %+v", list)
	}
	callTool(t, cs, "list_calls", map[string]any{"limit": 1}, &list)
	if len(list.Calls) != 1 || list.Matched != 4 || !list.Truncated {
		t.Errorf("list_calls limit 1: %+v", list)
	}

	var call struct {
		mcpCall
		Findings []struct {
			Code, Severity, Summary, Explanation, RFC string
			Messages                                  []int
		}
		Ladder string
	}
	text := callTool(t, cs, "call", map[string]any{"number": 2}, &call)
	if call.Verdict == nil || call.Verdict.Code != "credentials-rejected" || !strings.Contains(call.Ladder, "SIP/2.0 401 Unauthorized") {
		t.Errorf("call 2: %+v\n%s", call.Verdict, call.Ladder)
	}
	if !strings.Contains(text, "Verdict: ✗ error  Wrong password") || !strings.Contains(text, "REGISTER sip:sipdbg.test SIP/2.0") {
		t.Errorf("call 2 text:\n%s", text)
	}
	found := false
	for _, f := range call.Findings {
		if f.Code == "credentials-rejected" && f.Severity == "error" && f.RFC != "" && f.Explanation != "" && len(f.Messages) > 0 && f.Messages[0] == 7 {
			found = true
		}
	}
	if !found {
		t.Errorf("call 2 findings: %+v", call.Findings)
	}
	callTool(t, cs, "call", map[string]any{"call_id": list.Calls[0].CallID}, &call)
	if call.Number != 1 {
		t.Errorf("call by Call-ID %q: call %d", list.Calls[0].CallID, call.Number)
	}
	if text := callTool(t, cs, "call", map[string]any{"number": 99}, nil); !strings.HasPrefix(text, "ERROR: ") || !strings.Contains(text, "no call 99") {
		t.Errorf("call 99: %q", text)
	}

	var sum struct {
		Captures []struct {
			Calls    int
			Verdicts []struct {
				Code  string
				Calls int
			}
			Totals string
		}
	}
	text = callTool(t, cs, "summary", nil, &sum)
	if len(sum.Captures) != 1 || sum.Captures[0].Calls != 4 || len(sum.Captures[0].Verdicts) != 3 ||
		!strings.Contains(sum.Captures[0].Totals, "43 SIP messages") {
		t.Errorf("summary: %+v", sum)
	}
	for _, w := range []string{"ack-missing", "credentials-rejected", "auth-accepted", "AUTH FAILED"} {
		if !strings.Contains(text, w) {
			t.Errorf("summary text lacks %q:\n%s", w, text)
		}
	}

	checkMessagesMasked(t, cs, demoPcap)
}

// checkMessagesMasked asks for every message of the demo and looks for
// the digest responses and cnonces the capture holds.
func checkMessagesMasked(t *testing.T, cs *sdk.ClientSession, pcap string) {
	raw, err := os.ReadFile(pcap)
	if err != nil {
		t.Fatal(err)
	}
	var secrets []string
	for _, m := range regexp.MustCompile(`(?:response|cnonce)="([^"]+)"`).FindAllSubmatch(raw, -1) {
		secrets = append(secrets, string(m[1]))
	}
	if len(secrets) < 10 {
		t.Fatalf("only %d digest responses and cnonces in %s", len(secrets), pcap)
	}
	var all strings.Builder
	var msg struct {
		Number int
		Call   int
		Text   string
		Masked []string
	}
	for n := 1; n <= 43; n++ {
		text := callTool(t, cs, "message", map[string]any{"number": n}, &msg)
		all.WriteString(text + msg.Text)
	}
	text := callTool(t, cs, "message", map[string]any{"number": 3}, &msg)
	if msg.Call != 1 || !strings.Contains(text, "REGISTER sip:sipdbg.test SIP/2.0") ||
		!strings.Contains(msg.Text, `Authorization: Digest username="alice",realm="sipdbg.test",cnonce="********"`) ||
		!strings.Contains(msg.Text, `response="********"`) || len(msg.Masked) == 0 {
		t.Errorf("message 3: %+v\n%s", msg, text)
	}
	for n := 1; n <= 4; n++ {
		all.WriteString(callTool(t, cs, "call", map[string]any{"number": n}, nil))
	}
	for _, s := range secrets {
		if strings.Contains(all.String(), s) {
			t.Errorf("the digest value %q of the capture appears in the output of message or call", s)
		}
	}
	if text := callTool(t, cs, "message", map[string]any{"number": 44}, nil); !strings.Contains(text, "no message 44") {
		t.Errorf("message 44: %q", text)
	}
}

// TestMCPMissingFile: a capture that cannot be opened is one line on
// standard error naming it, before any protocol.
func TestMCPMissingFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nowhere.pcap")
	code, out, errs := sipdbg(t, nil, "mcp", fixturePath(t, "sll2-register-auth.pcap"), missing)
	if code != exitUsage || out != "" {
		t.Errorf("exit %d, stdout %q", code, out)
	}
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "sipdbg mcp: ") || !strings.Contains(last, missing) {
		t.Errorf("stderr %q", errs)
	}
	if code, _, errs := sipdbg(t, nil, "mcp"); code != exitUsage || !strings.Contains(errs, "needs at least one capture") {
		t.Errorf("no file: exit %d, %q", code, errs)
	}
	if code, _, errs := sipdbg(t, nil, "mcp", "-"); code != exitUsage || strings.Count(errs, "\n") != 1 {
		t.Errorf("-: exit %d, %q", code, errs)
	}
}
