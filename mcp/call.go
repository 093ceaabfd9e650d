package mcp

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/report"
	"github.com/sipdbg/sipdbg/session"
)

// CallIn names one call.
type CallIn struct {
	Capture string `json:"capture,omitempty" jsonschema:"the capture file (its name or number); needed when several are loaded"`
	Number  int    `json:"number,omitempty" jsonschema:"the call's number, from 1, as list_calls gives it"`
	CallID  string `json:"call_id,omitempty" jsonschema:"the call's Call-ID, instead of its number"`
}

// FindingOut is one finding: a piece of the verdict's evidence.
type FindingOut struct {
	Code        string `json:"code"`
	Severity    string `json:"severity" jsonschema:"error, warning or info"`
	Summary     string `json:"summary"`
	Explanation string `json:"explanation" jsonschema:"what it means and what to do"`
	RFC         string `json:"rfc" jsonschema:"the RFC section or vendor document of the rule"`
	Messages    []int  `json:"messages,omitempty" jsonschema:"the numbers of the messages concerned"`
	Count       int    `json:"count,omitempty" jsonschema:"how many times it happened, when repeated attempts were collapsed into it"`
}

// CallDetail is call's answer.
type CallDetail struct {
	CallOut
	Findings []FindingOut `json:"findings"`
	Ladder   string       `json:"ladder" jsonschema:"the call as sipdbg report prints it: verdict, every message (number, time, addresses, first line), media streams, findings with explanations"`
}

func (s *server) call(_ context.Context, _ *sdk.CallToolRequest, in CallIn) (*sdk.CallToolResult, CallDetail, error) {
	c, err := s.pick(in.Capture)
	if err != nil {
		return nil, CallDetail{}, err
	}
	call, err := c.find(in)
	if err != nil {
		return nil, CallDetail{}, err
	}
	fs := c.diagnose(call)
	out := CallDetail{CallOut: callOut(c, call, analysis.VerdictOf(fs)), Findings: []FindingOut{}}
	for _, f := range fs {
		out.Findings = append(out.Findings, findingOut(f))
	}
	var b bytes.Buffer
	if err := report.TextCalls(&b, c.Store, []*session.Call{call}, c.opt, true); err != nil {
		return nil, CallDetail{}, fmt.Errorf("call %d of %s: %w", call.Seq+1, c.Name, err)
	}
	out.Ladder = MaskText(strings.TrimRight(b.String(), "\n"), nil)
	return text("Capture %s\n\n%s", c.Name, out.Ladder), out, nil
}

// find is the call in names, by number or Call-ID.
func (c *capture) find(in CallIn) (*session.Call, error) {
	switch {
	case in.Number != 0 && in.CallID != "":
		return nil, fmt.Errorf("give the call's number or its Call-ID, not both")
	case in.Number != 0:
		if call := c.Store.Call(in.Number - 1); call != nil && in.Number > 0 {
			return call, nil
		}
		return nil, fmt.Errorf("%s has no call %d (its calls are 1 to %d)", c.Name, in.Number, len(c.Store.Calls()))
	case in.CallID != "":
		for _, call := range c.Store.Calls() {
			if call.CallID == in.CallID {
				return call, nil
			}
		}
		return nil, fmt.Errorf("%s has no call with Call-ID %q (list_calls with call_id finds one by part of it)", c.Name, in.CallID)
	}
	return nil, fmt.Errorf("give the call's number (from list_calls) or its Call-ID")
}

func findingOut(f analysis.Finding) FindingOut {
	return FindingOut{Code: string(f.Code), Severity: f.Severity.String(), Summary: f.Summary,
		Explanation: f.Explanation, RFC: f.RFC, Messages: numbers(f.Messages), Count: f.Count}
}
