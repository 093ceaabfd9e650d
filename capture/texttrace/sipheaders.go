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
// §7.3.3).
func headerIs(name []byte, n siplex.Name) bool { return siplex.Is(name, n) }

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
