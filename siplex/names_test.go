package siplex

import "testing"

// RFC 3261 §7.3.3: compact forms stand for their long names; names are
// compared without regard to case (§7.3.1).
func TestCompactForms(t *testing.T) {
	for _, c := range []struct {
		name string
		n    Name
		want bool
	}{
		{"v", Via, true}, {"V", Via, true}, {"via", Via, true}, {"VIA", Via, true},
		{"i", CallID, true}, {"Call-ID", CallID, true}, {"call-id", CallID, true},
		{"m", Contact, true}, {"l", ContentLength, true}, {"c", ContentType, true},
		{"f", From, true}, {"t", To, true},
		{"l", ContentType, false}, {"vi", Via, false}, {"Vias", Via, false},
		{"c", CSeq, false}, {"CSEQ", CSeq, true}, {"r", Route, false}, // no compact form (r is Refer-To)
		{"Call_ID", CallID, false},
	} {
		if got := Is(c.name, c.n); got != c.want {
			t.Errorf("Is(%q, %v) = %v", c.name, c.n, got)
		}
	}
	for in, want := range map[string]Name{
		"V": {"via", 'v'}, "VIA": {"via", 'v'}, "Content-Length": {"content-length", 'l'},
		"k": {"supported", 'k'}, "X-Foo": {"x-foo", 0}, "q": {"q", 0}, "Authorization": {"authorization", 0},
	} {
		if got := Lookup(in); got != want {
			t.Errorf("Lookup(%q) = %v, want %v", in, got, want)
		}
	}
}

// The table agrees with the one the indexer had, letter for letter.
func TestCompactTable(t *testing.T) {
	for c := byte('a'); c <= 'z'; c++ {
		if compact[c-'a'] != refCompact[c] {
			t.Errorf("compact %c = %q, want %q", c, compact[c-'a'], refCompact[c])
		}
	}
}

// Lookup("") finds the first letter without a compact form, 'g', whose
// entry is "": so Header("") reads the headers named "g". It has always
// done so (the indexer's longForm); no caller asks for "".
func TestLookupEmpty(t *testing.T) {
	if got := Lookup(""); got != (Name{"", 'g'}) {
		t.Errorf(`Lookup("") = %v`, got)
	}
}
