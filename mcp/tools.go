package mcp

import (
	"context"
	"fmt"
	"strings"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/session"
)

// The tools' inputs and outputs. Severities are their names and times
// RFC 3339 text: what the JSON schema the SDK derives from these types
// says they are.

// VerdictOut is a call's verdict: the root cause of its failure, or the
// risk it ran, or that it went through.
type VerdictOut struct {
	Code     string `json:"code" jsonschema:"the finding code of the verdict (the README lists them)"`
	Severity string `json:"severity" jsonschema:"error, warning or info"`
	Summary  string `json:"summary" jsonschema:"the verdict in one line"`
	Messages []int  `json:"messages,omitempty" jsonschema:"the numbers of the messages that prove it"`
}

// CallOut is one line of list_calls.
type CallOut struct {
	Capture  string      `json:"capture" jsonschema:"the capture file the call is in"`
	Number   int         `json:"number" jsonschema:"the call's number in its capture, from 1"`
	CallID   string      `json:"call_id"`
	Method   string      `json:"method" jsonschema:"the method of the call's first request"`
	From     string      `json:"from"`
	To       string      `json:"to"`
	State    string      `json:"state"`
	Start    string      `json:"start" jsonschema:"capture time of the first message, RFC 3339"`
	Messages int         `json:"messages" jsonschema:"how many messages, retransmissions included"`
	Verdict  *VerdictOut `json:"verdict,omitempty"`
}

// ListCallsIn are list_calls' filters; all of them must hold.
type ListCallsIn struct {
	Capture  string `json:"capture,omitempty" jsonschema:"the capture file (its name or number); every capture when omitted"`
	Method   string `json:"method,omitempty" jsonschema:"only calls whose first request has this method (INVITE, REGISTER…)"`
	From     string `json:"from,omitempty" jsonschema:"only calls whose From contains this text (any case)"`
	To       string `json:"to,omitempty" jsonschema:"only calls whose To contains this text (any case)"`
	CallID   string `json:"call_id,omitempty" jsonschema:"only calls whose Call-ID contains this text"`
	Problems bool   `json:"problems,omitempty" jsonschema:"only calls whose verdict is an error: the calls that failed"`
	Limit    int    `json:"limit,omitempty" jsonschema:"at most this many calls (default 100, at most 1000)"`
}

// ListCallsOut is list_calls' answer.
type ListCallsOut struct {
	Calls     []CallOut `json:"calls"`
	Matched   int       `json:"matched" jsonschema:"how many calls match, of which the first limit are listed"`
	Truncated bool      `json:"truncated" jsonschema:"more calls match than are listed"`
}

const (
	defaultLimit = 100
	maxLimit     = 1000
)

func (s *server) addTools(srv *sdk.Server) {
	ro := &sdk.ToolAnnotations{ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: new(false)}
	sdk.AddTool(srv, &sdk.Tool{Name: "list_calls", Annotations: ro,
		Description: "List the calls (one per Call-ID) of the loaded SIP captures, each with its verdict, filtered by method, From, To, Call-ID, or to those with an error verdict (the calls that failed)."},
		s.listCalls)
	sdk.AddTool(srv, &sdk.Tool{Name: "call", Annotations: ro,
		Description: "One call, by its number or Call-ID: its ladder (every message's time, addresses and first line), its verdict and its findings with their explanation, RFC reference and message numbers."},
		s.call)
	sdk.AddTool(srv, &sdk.Tool{Name: "summary", Annotations: ro,
		Description: "The findings summary of a capture: how many calls have each verdict and each finding (with the first call), the calls per state, and the totals."},
		s.summary)
	sdk.AddTool(srv, &sdk.Tool{Name: "message", Annotations: ro,
		Description: "One SIP message's full text by its number (as in call's ladder), with the credentials masked: digest response and cnonce, other schemes' credentials, passwords."},
		s.message)
}

func (s *server) listCalls(_ context.Context, _ *sdk.CallToolRequest, in ListCallsIn) (*sdk.CallToolResult, ListCallsOut, error) {
	cs, err := s.chosen(in.Capture)
	if err != nil {
		return nil, ListCallsOut{}, err
	}
	limit := in.Limit
	if limit <= 0 {
		limit = defaultLimit
	}
	limit = min(limit, maxLimit)
	out := ListCallsOut{Calls: []CallOut{}}
	for _, c := range cs {
		for _, call := range c.Store.Calls() {
			if !in.matches(call) {
				continue
			}
			var v *analysis.Verdict
			if in.Problems || len(out.Calls) < limit {
				v = analysis.VerdictOf(c.diagnose(call))
			}
			if in.Problems && (v == nil || v.Severity < analysis.Error) {
				continue
			}
			out.Matched++
			if len(out.Calls) < limit {
				out.Calls = append(out.Calls, callOut(c, call, v))
			}
		}
	}
	out.Truncated = out.Matched > len(out.Calls)
	return nil, out, nil
}

// matches is the filters that need no analysis.
func (in ListCallsIn) matches(c *session.Call) bool {
	return (in.Method == "" || strings.EqualFold(in.Method, c.Method)) &&
		containsFold(c.From, in.From) && containsFold(c.To, in.To) && containsFold(c.CallID, in.CallID)
}

func containsFold(s, sub string) bool {
	return sub == "" || strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

func callOut(c *capture, call *session.Call, v *analysis.Verdict) CallOut {
	return CallOut{
		Capture: c.Name, Number: call.Seq + 1, CallID: call.CallID, Method: call.Method,
		From: MaskText(call.From, nil), To: MaskText(call.To, nil),
		State: call.State.String(), Start: time.Unix(0, call.Start).UTC().Format(time.RFC3339Nano),
		Messages: len(call.Msgs), Verdict: verdictOut(v),
	}
}

func verdictOut(v *analysis.Verdict) *VerdictOut {
	if v == nil {
		return nil
	}
	return &VerdictOut{Code: string(v.Code), Severity: v.Severity.String(), Summary: v.Summary, Messages: numbers(v.Messages)}
}

// numbers are message handles as the report numbers them, from 1.
func numbers(seqs []int32) []int {
	out := make([]int, len(seqs))
	for i, q := range seqs {
		out[i] = int(q) + 1
	}
	return out
}

// text is a tool result whose content is text for the reader, beside
// the structured output the SDK adds.
func text(format string, args ...any) *sdk.CallToolResult {
	return &sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: fmt.Sprintf(format, args...)}}}
}
