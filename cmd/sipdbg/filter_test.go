package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/internal/testkit/gen"
)

// filterCapture writes a generated capture (registrations, calls,
// OPTIONS pings) and what it holds.
func filterCapture(t *testing.T) (string, *gen.Report) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "gen.pcap")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := gen.Generate(f, gen.Config{Seed: 21, Messages: 3000})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if rep.Options == 0 || rep.Invites == 0 || rep.Registrations == 0 {
		t.Fatalf("the capture lacks a kind of call: %+v", rep)
	}
	return path, rep
}

type filteredDoc struct {
	Stats struct {
		SIPMessages int `json:"sip_messages"`
		Calls       int `json:"calls"`
		Filtered    int `json:"filtered_messages"`
	} `json:"stats"`
	Calls []struct {
		CallID           string `json:"call_id"`
		Method, From, To string
		Messages         []struct{} `json:"messages"`
	} `json:"calls"`
}

func reportJSON(t *testing.T, args ...string) filteredDoc {
	t.Helper()
	code, out, errs := sipdbg(t, nil, append([]string{"report", "--json"}, args...)...)
	if code != 0 || errs != "" {
		t.Fatalf("report %v: exit %d, stderr %q", args, code, errs)
	}
	var doc filteredDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Calls) != doc.Stats.Calls {
		t.Fatalf("report %v: %d calls listed, %d counted", args, len(doc.Calls), doc.Stats.Calls)
	}
	return doc
}

func TestReportStartupFilters(t *testing.T) {
	path, rep := filterCapture(t)
	all := reportJSON(t, path)
	if all.Stats.Calls != rep.Calls || all.Stats.SIPMessages != rep.SIPMessages {
		t.Fatalf("unfiltered: %d calls, %d messages; the generator wrote %d, %d", all.Stats.Calls, all.Stats.SIPMessages, rep.Calls, rep.SIPMessages)
	}
	byMethod := map[string]int{}
	for _, c := range all.Calls {
		byMethod[c.Method]++
	}

	t.Run("no-options", func(t *testing.T) {
		got := reportJSON(t, "--no-options", path)
		if got.Stats.Calls != all.Stats.Calls-byMethod["OPTIONS"] || byMethod["OPTIONS"] == 0 {
			t.Errorf("%d calls kept of %d, %d of them OPTIONS", got.Stats.Calls, all.Stats.Calls, byMethod["OPTIONS"])
		}
		// What was left out is counted, and only there.
		if got.Stats.Filtered != all.Stats.SIPMessages-got.Stats.SIPMessages || all.Stats.Filtered != 0 {
			t.Errorf("filtered_messages %d (unfiltered: %d), want %d", got.Stats.Filtered, all.Stats.Filtered, all.Stats.SIPMessages-got.Stats.SIPMessages)
		}
		if got.Stats.SIPMessages >= all.Stats.SIPMessages {
			t.Errorf("%d messages stored, %d without the filter", got.Stats.SIPMessages, all.Stats.SIPMessages)
		}
		for _, c := range got.Calls {
			if c.Method == "OPTIONS" {
				t.Errorf("call %s is kept", c.CallID)
			}
		}
	})
	t.Run("method", func(t *testing.T) {
		got := reportJSON(t, "--method", "invite, REGISTER", path)
		if want := byMethod["INVITE"] + byMethod["REGISTER"]; got.Stats.Calls != want {
			t.Errorf("%d calls kept, want %d", got.Stats.Calls, want)
		}
		for _, c := range got.Calls {
			if c.Method != "INVITE" && c.Method != "REGISTER" {
				t.Errorf("call %s (%s) is kept", c.CallID, c.Method)
			}
		}
		if code, _, errs := sipdbg(t, nil, "report", "--method", "INVITE,,", path); code != exitUsage || !strings.Contains(errs, "--method") {
			t.Errorf("--method INVITE,,: exit %d, stderr %q", code, errs)
		}
	})
	t.Run("from", func(t *testing.T) {
		needle := strings.ToUpper(all.Calls[len(all.Calls)/2].From)
		want := 0
		for _, c := range all.Calls {
			if strings.Contains(strings.ToUpper(c.From), needle) {
				want++
			}
		}
		got := reportJSON(t, "--from", needle, path)
		if got.Stats.Calls != want || want == 0 || want == all.Stats.Calls {
			t.Errorf("--from %s: %d calls kept, want %d of %d", needle, got.Stats.Calls, want, all.Stats.Calls)
		}
		// A kept call keeps every message, those the callee sends (its
		// From is the other party) included.
		msgs := map[string]int{}
		for _, c := range all.Calls {
			msgs[c.CallID] = len(c.Messages)
		}
		for _, c := range got.Calls {
			if len(c.Messages) != msgs[c.CallID] {
				t.Errorf("call %s keeps %d messages of %d", c.CallID, len(c.Messages), msgs[c.CallID])
			}
		}
	})
	t.Run("call-id", func(t *testing.T) {
		c := all.Calls[len(all.Calls)/3]
		got := reportJSON(t, "--call-id", strings.ToUpper(c.CallID), path)
		if c.CallID == "" || got.Stats.Calls != 1 || got.Calls[0].CallID != c.CallID {
			t.Errorf("--call-id %q: %d calls kept", c.CallID, got.Stats.Calls)
		}
		none := reportJSON(t, "--call-id", "no such call", path)
		if none.Stats.Calls != 0 || none.Stats.SIPMessages != 0 {
			t.Errorf("--call-id that matches nothing: %d calls, %d messages", none.Stats.Calls, none.Stats.SIPMessages)
		}
	})
}
