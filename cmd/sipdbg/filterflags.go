package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/sipdbg/sipdbg/report"
	"github.com/sipdbg/sipdbg/session"
)

// filterFlags are the start-up filters of sipdbg FILE, sipdbg -i and
// report (sngrep's --no-options and match expressions, issue 21): what
// they leave out is dropped while loading, never stored.
type filterFlags struct {
	noOptions        *bool
	methods          *string
	from, to, callID *string
	// problems and text judge whole calls: they apply once the calls are
	// loaded (report.Selection; the call list's problems view and /).
	problems *bool
	text     *string
}

func addFilterFlags(fs *flag.FlagSet) filterFlags {
	return filterFlags{
		noOptions: fs.Bool("no-options", false, "leave OPTIONS requests and their responses out while loading"),
		methods:   fs.String("method", "", "keep only the calls whose first method is in this comma-separated list (INVITE,REGISTER)"),
		from:      fs.String("from", "", "keep only the calls whose From URI contains this text (any case)"),
		to:        fs.String("to", "", "keep only the calls whose To URI contains this text (any case)"),
		callID:    fs.String("call-id", "", "keep only the calls whose Call-ID contains this text (any case)"),
		problems:  fs.Bool("problems", false, "show only the calls whose verdict is an error: the calls that failed"),
		text:      fs.String("filter", "", "show only the calls that mention this text (any case), as / in the call list: any header or body, the state, a verdict code"),
	}
}

// selection is what --problems and --filter keep of the loaded calls.
func (f filterFlags) selection() report.Selection {
	return report.Selection{Problems: *f.problems, Text: *f.text}
}

// methodChars are the characters of a method, a token (RFC 3261 §25.1),
// once in upper case.
const methodChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~"

// filter is the session's Filter the flags give.
func (f filterFlags) filter() (session.Filter, error) {
	out := session.Filter{NoOptions: *f.noOptions, From: *f.from, To: *f.to, CallID: *f.callID}
	if *f.methods == "" {
		return out, nil
	}
	for _, m := range strings.Split(*f.methods, ",") {
		m = strings.ToUpper(strings.TrimSpace(m))
		if m == "" || strings.Trim(m, methodChars) != "" {
			return out, fmt.Errorf("--method %q: a comma-separated list of SIP methods, such as INVITE,REGISTER", *f.methods)
		}
		out.Methods = append(out.Methods, m)
	}
	return out, nil
}
