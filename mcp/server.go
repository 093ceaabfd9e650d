// Package mcp serves loaded captures to an assistant over the Model
// Context Protocol (github.com/modelcontextprotocol/go-sdk): read-only
// tools that list the calls, show one call's ladder, verdict and
// findings, the findings summary, and one message's text with its
// credentials masked (mask.go). The probe is not offered: nothing here
// sends a packet, and no tool takes or prints a password.
//
// It imports analysis, session and report only: cmd/sipdbg opens and
// loads the captures (capture, pipeline) and runs the server on its
// standard input and output; the bytes of a mapped capture are read under
// the store's Guard.
package mcp

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/session"
)

// Capture is one loaded capture file: its name as given, and its store.
// Each file has a store of its own, so calls and messages are numbered
// per file, as sipdbg report numbers them.
type Capture struct {
	Name  string
	Store *session.Store
}

// capture is a Capture with what every tool asks of it, made once.
type capture struct {
	Capture
	opt analysis.Options // with the capture's survey (security findings)
}

// server holds the captures the tools read. Nothing changes after New:
// the tools may run at the same time.
type server struct {
	captures []capture
}

// New returns the MCP server of the captures (at least one). version is
// the program's, as the server names itself to the client.
func New(captures []Capture, version string) *sdk.Server {
	srv := &server{}
	for _, c := range captures {
		srv.captures = append(srv.captures, capture{Capture: c, opt: analysis.Options{Survey: analysis.NewSurvey(c.Store)}})
	}
	s := sdk.NewServer(&sdk.Implementation{Name: "sipdbg", Title: "sipdbg SIP capture analysis", Version: version}, &sdk.ServerOptions{
		Instructions: instructions(captures),
	})
	srv.addTools(s)
	return s
}

func instructions(cs []Capture) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Name
	}
	return "sipdbg has loaded these SIP captures: " + strings.Join(names, ", ") + ". " +
		"Each call (one Call-ID) has a verdict, the root cause of its failure or risk, and findings as evidence. " +
		"Start with summary or list_calls (problems: true for the failed ones), then call for one call's ladder and findings, " +
		"then message for one message's text (credentials masked). Calls and messages are numbered per capture from 1, " +
		"as in sipdbg report."
}

// pick finds the capture a tool names: by its name as given, its base
// name or its number from 1; "" when only one is loaded.
func (s *server) pick(name string) (*capture, error) {
	if name == "" {
		if len(s.captures) == 1 {
			return &s.captures[0], nil
		}
		return nil, fmt.Errorf("%d captures are loaded: say which (capture: %s)", len(s.captures), s.names())
	}
	for i := range s.captures {
		c := &s.captures[i]
		if name == c.Name || name == filepath.Base(c.Name) || name == strconv.Itoa(i+1) {
			return c, nil
		}
	}
	return nil, fmt.Errorf("no capture %q is loaded (the captures: %s)", name, s.names())
}

// chosen is the captures a tool that may read them all reads: the one
// named, or every one.
func (s *server) chosen(name string) ([]*capture, error) {
	if name != "" || len(s.captures) == 1 {
		c, err := s.pick(name)
		if err != nil {
			return nil, err
		}
		return []*capture{c}, nil
	}
	out := make([]*capture, len(s.captures))
	for i := range s.captures {
		out[i] = &s.captures[i]
	}
	return out, nil
}

func (s *server) names() string {
	names := make([]string, len(s.captures))
	for i, c := range s.captures {
		names[i] = strconv.Quote(c.Name)
	}
	return strings.Join(names, ", ")
}

// diagnose is the call's findings, read under the store's guard.
func (c *capture) diagnose(call *session.Call) []analysis.Finding {
	var fs []analysis.Finding
	_ = c.Store.Guard(func() error {
		fs = analysis.Diagnose(c.Store, call, c.opt)
		return nil
	})
	return fs
}
