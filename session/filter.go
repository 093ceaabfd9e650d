package session

import (
	"hash/maphash"
	"strings"

	"github.com/sipdbg/sipdbg/siplex"
)

// Filter says which calls a load keeps: sipdbg's start-up filters
// (--no-options, --method, --from, --to, --call-id), applied as messages
// are built, so that what does not pass never reaches a store. The zero
// Filter keeps everything.
type Filter struct {
	NoOptions bool     // drop OPTIONS requests and their responses (CSeq method OPTIONS)
	Methods   []string // keep only calls whose initial method is one of these (upper case); none: any
	// From, To and CallID keep only calls whose From URI, To URI or
	// Call-ID contains the text, ASCII letters compared without regard
	// to case; "": any.
	From, To, CallID string
}

// IsZero reports whether f keeps everything.
func (f Filter) IsZero() bool {
	return !f.NoOptions && len(f.Methods) == 0 && f.From == "" && f.To == "" && f.CallID == ""
}

// maxDecided bounds each generation of a Keeper's decisions: two of them
// are kept, so a long capture of short calls (a scan, OPTIONS pings from
// everywhere) holds at most twice this many Call-ID hashes, while a call
// still sending is promoted to the newer generation at each message.
const maxDecided = 1 << 16

// Keeper applies a Filter to messages in capture order. The methods,
// From and To are the call's: its first message decides (as the store
// names a call, see Store.call), and its later messages follow, found
// by their Call-ID's hash. OPTIONS and Call-ID are decided per message,
// from its own fields.
type Keeper struct {
	f        Filter
	from, to string // f's, ASCII letters in lower case
	callID   string
	seed     maphash.Seed
	cur, old map[uint64]bool // kept (true) or dropped, by Call-ID hash
	dropped  int             // messages Keep refused, for the totals
}

// Dropped is how many messages Keep has refused; 0 for a nil Keeper.
func (k *Keeper) Dropped() int {
	if k == nil {
		return 0
	}
	return k.dropped
}

// NewKeeper returns a Keeper for f, nil when f keeps everything.
func NewKeeper(f Filter) *Keeper {
	if f.IsZero() {
		return nil
	}
	return &Keeper{f: f, from: asciiLower(f.From), to: asciiLower(f.To), callID: asciiLower(f.CallID),
		seed: maphash.MakeSeed(), cur: map[uint64]bool{}}
}

// Keep reports whether m passes. A nil Keeper keeps everything.
func (k *Keeper) Keep(m *Message) bool {
	if k == nil {
		return true
	}
	keep := k.keep(m)
	if !keep {
		k.dropped++
	}
	return keep
}

func (k *Keeper) keep(m *Message) bool {
	if k.f.NoOptions && m.Method() == "OPTIONS" {
		return false
	}
	if !containsFold(m.CallID(), k.callID) {
		return false
	}
	if len(k.f.Methods) == 0 && k.from == "" && k.to == "" {
		return true
	}
	h := maphash.String(k.seed, m.CallID())
	keep, ok := k.cur[h]
	if !ok {
		if keep, ok = k.old[h]; !ok {
			keep = k.decide(m)
		}
		if len(k.cur) >= maxDecided {
			k.old, k.cur = k.cur, make(map[uint64]bool, maxDecided)
		}
		k.cur[h] = keep
	}
	return keep
}

// decide is the call-level verdict on a call's first message.
func (k *Keeper) decide(m *Message) bool {
	if len(k.f.Methods) > 0 {
		method := m.Method() // a response's is its CSeq method
		if inDialogOnly(method) {
			method = "INVITE" // a call captured from its middle, as Store.call names it
		}
		found := false
		for _, want := range k.f.Methods {
			found = found || want == method
		}
		if !found {
			return false
		}
	}
	return containsFold(m.From(), k.from) && containsFold(m.To(), k.to)
}

// containsFold reports whether s contains lower, ASCII letters compared
// without regard to case; lower is in lower case.
func containsFold(s, lower string) bool {
	for i := 0; i+len(lower) <= len(s); i++ {
		if siplex.HasPrefixFold(s[i:], lower) {
			return true
		}
	}
	return false
}

func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}
