package mcp

import (
	"context"
	"fmt"
	"strings"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/sipdbg/sipdbg/analysis"
)

// MessageIn names one message.
type MessageIn struct {
	Capture string `json:"capture,omitempty" jsonschema:"the capture file (its name or number); needed when several are loaded"`
	Number  int    `json:"number" jsonschema:"the message's number, from 1, as the call's ladder gives it"`
}

// MessageOut is message's answer.
type MessageOut struct {
	Capture   string   `json:"capture"`
	Number    int      `json:"number"`
	Call      int      `json:"call" jsonschema:"the number of the message's call"`
	Packet    int      `json:"packet" jsonschema:"its frame number in the capture, from 1"`
	Time      string   `json:"time" jsonschema:"capture time, RFC 3339"`
	Src       string   `json:"src"`
	Dst       string   `json:"dst"`
	Transport string   `json:"transport"`
	FirstLine string   `json:"first_line"`
	Text      string   `json:"text" jsonschema:"the message as captured, credentials masked"`
	Masked    []string `json:"masked,omitempty" jsonschema:"what was masked in the text, replaced by ********"`
}

func (s *server) message(_ context.Context, _ *sdk.CallToolRequest, in MessageIn) (*sdk.CallToolResult, MessageOut, error) {
	c, err := s.pick(in.Capture)
	if err != nil {
		return nil, MessageOut{}, err
	}
	st := c.Store.Stats()
	if in.Number < 1 || in.Number > st.Messages+st.Evicted.Messages {
		return nil, MessageOut{}, fmt.Errorf("%s has no message %d (its messages are 1 to %d)", c.Name, in.Number, st.Messages)
	}
	m := c.Store.Msg(in.Number - 1)
	if m == nil {
		return nil, MessageOut{}, fmt.Errorf("%s has no message %d", c.Name, in.Number)
	}
	var raw string
	if err := c.Store.Guard(func() error {
		raw = string(m.Raw()) // a copy: the mapping's bytes stay behind the guard
		return nil
	}); err != nil {
		return nil, MessageOut{}, fmt.Errorf("message %d of %s: %w", in.Number, c.Name, err)
	}
	masked, what := Mask(raw)
	first, _ := Mask(c.Store.FirstLine(m))
	out := MessageOut{
		Capture: c.Name, Number: in.Number, Call: int(m.Call) + 1, Packet: int(m.Packet),
		Time: m.Time().UTC().Format(time.RFC3339Nano), Src: m.Src().String(), Dst: m.Dst().String(),
		Transport: m.Transport.String(), FirstLine: first, Text: masked, Masked: what,
	}
	note := ""
	if len(what) > 0 {
		note = fmt.Sprintf("\n(masked as %s: %s)", analysis.Masked, strings.Join(what, ", "))
	}
	return text("Message %d of %s, call %d, packet %d, %s %s → %s %s\n\n%s%s",
		out.Number, c.Name, out.Call, out.Packet, out.Time, out.Src, out.Dst, out.Transport,
		strings.TrimRight(strings.ReplaceAll(masked, "\r\n", "\n"), "\n"), note), out, nil
}
