package siplex

import "strings"

// A Name is a header name as the lexer matches it: the long form in
// lower case and the compact form (RFC 3261 §7.3.3), 0 when it has none.
type Name struct {
	Long  string
	Short byte
}

// compact is the one table of compact forms: RFC 3261 §7.3.3 and §20
// (c, e, f, i, k, l, m, s, t, v) and the extensions that define one, as
// IANA's SIP parameters registry lists them.
var compact = func() (t [26]string) {
	for c, long := range map[byte]string{
		'a': "accept-contact",      // RFC 3841
		'b': "referred-by",         // RFC 3892
		'c': "content-type",        // RFC 3261
		'd': "request-disposition", // RFC 3841
		'e': "content-encoding",    // RFC 3261
		'f': "from",                // RFC 3261
		'i': "call-id",             // RFC 3261
		'j': "reject-contact",      // RFC 3841
		'k': "supported",           // RFC 3261
		'l': "content-length",      // RFC 3261
		'm': "contact",             // RFC 3261
		'n': "identity-info",       // RFC 4474
		'o': "event",               // RFC 6665
		'r': "refer-to",            // RFC 3515
		's': "subject",             // RFC 3261
		't': "to",                  // RFC 3261
		'u': "allow-events",        // RFC 6665
		'v': "via",                 // RFC 3261
		'x': "session-expires",     // RFC 4028
		'y': "identity",            // RFC 8224
	} {
		t[c-'a'] = long
	}
	return t
}()

// Lookup returns the Name of a header called name, in any case, long or
// compact: Lookup("V") and Lookup("VIA") are both {"via", 'v'}. A name
// the table does not know has no compact form.
func Lookup(name string) Name {
	long := strings.ToLower(name)
	if len(long) == 1 && long[0] >= 'a' && long[0] <= 'z' && compact[long[0]-'a'] != "" {
		return Name{compact[long[0]-'a'], long[0]}
	}
	for i, l := range compact {
		if l == long {
			return Name{long, byte('a' + i)}
		}
	}
	return Name{long, 0}
}

// Is reports whether a header name, as written in a message, is n: its
// long form without regard to case, or its compact form.
func Is[T Text](name T, n Name) bool {
	if len(name) == 1 {
		return n.Short != 0 && name[0]|0x20 == n.Short
	}
	// EqualFold written out: so Is stays within the inliner's budget, and
	// the indexer asks it a dozen times per header line.
	if len(name) != len(n.Long) {
		return false
	}
	for i := 0; i < len(name); i++ {
		if toLower(name[i]) != n.Long[i] {
			return false
		}
	}
	return true
}

// The headers sipdbg reads, their compact forms from the table above.
var (
	CallID             = Lookup("call-id")
	Contact            = Lookup("contact")
	ContentLength      = Lookup("content-length")
	ContentType        = Lookup("content-type")
	CSeq               = Lookup("cseq")
	From               = Lookup("from")
	Route              = Lookup("route")
	To                 = Lookup("to")
	Via                = Lookup("via")
	Authorization      = Lookup("authorization")
	ProxyAuthorization = Lookup("proxy-authorization")
	WWWAuthenticate    = Lookup("www-authenticate")
	ProxyAuthenticate  = Lookup("proxy-authenticate")
)
