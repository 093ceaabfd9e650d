package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/demo"
	"github.com/sipdbg/sipdbg/session"
)

// The text report's message lines show the store's aliases; the JSON
// document keeps the addresses, which scripts read.
func TestTextAliases(t *testing.T) {
	s, err := demo.Store()
	if err != nil {
		t.Fatal(err)
	}
	var a session.Aliases
	if err := a.Add("127.0.0.1:5194", "alice-phone"); err != nil {
		t.Fatal(err)
	}
	if err := a.Add("127.0.0.1:5190", "edge"); err != nil {
		t.Fatal(err)
	}
	s.SetAliases(a)
	var text, js bytes.Buffer
	if err := Text(&text, s, analysis.Options{}, false); err != nil {
		t.Fatal(err)
	}
	if err := JSON(&js, []string{"demo.pcap"}, s, analysis.Options{}); err != nil {
		t.Fatal(err)
	}
	var flow []string
	for _, l := range strings.Split(text.String(), "\n") {
		if strings.Contains(l, " → ") {
			flow = append(flow, l)
		}
	}
	got := strings.Join(flow, "\n")
	if !strings.Contains(got, "alice-phone           → edge ") || !strings.Contains(got, "127.0.0.1:5195") {
		t.Errorf("the message lines do not name alice-phone → edge, or lost an address without alias:\n%s", got)
	}
	if strings.Contains(text.String(), "127.0.0.1:5194") || strings.Contains(got, "127.0.0.1:5190") {
		t.Errorf("an address with an alias is still in the flow:\n%s", got)
	}
	if strings.Contains(js.String(), "alice-phone") || !strings.Contains(js.String(), "127.0.0.1:5194") {
		t.Error("the JSON document has the alias, or lost the address")
	}
}
