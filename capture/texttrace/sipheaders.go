package texttrace

import (
	"bytes"

	"github.com/sipdbg/sipdbg/siplex"
)

// The headers of a message are read with siplex.HeaderLines: folded
// lines are not joined, since the headers read here (Via, Route,
// Contact, CSeq, Content-Type) fit on one line in every trace seen, and
// reading never allocates.

// headerIs matches a header name with n, long or compact (RFC 3261
// §7.3.3). Unlike siplex.Is, the long form is compared with Unicode case
// folding (bytes.EqualFold), as this parser always has, so a name with
// 'ſ' (U+017F) for an 's' or 'K' (U+212A) for a 'k' matches too. Header
// names are ASCII tokens and no SIP peer writes those; the difference is
// kept only so that a trace reads as before (issue 17, item 6).
func headerIs(name []byte, n siplex.Name) bool {
	if len(name) == 1 {
		return siplex.Is(name, n)
	}
	return bytes.EqualFold(name, []byte(n.Long))
}

// hasHeader reports whether msg has a header called n.
func hasHeader(msg []byte, n siplex.Name) bool {
	found := false
	siplex.HeaderLines(msg, func(name, _ []byte) bool {
		found = headerIs(name, n)
		return !found
	})
	return found
}

func isBlank(t []byte) bool { return len(bytes.TrimSpace(t)) == 0 }
