// Package siplex is sipdbg's one SIP lexer: it owns the grammar of RFC
// 3261 §7 and §25.1 as the rest of sipdbg reads it. The session indexer,
// capture's framing and text-trace parser, the HEP and WebSocket
// decoders and the digest parser of the analysis all read SIP through it:
//
//   - character classes (token, RFC 3261 §25.1) and ASCII case folding;
//   - the start line (§7.1, §7.2): IsStart for framing, IsStartPrefix
//     for the decoders that see only a message's first bytes;
//   - lines ending in CRLF or a bare LF (Line), header fields with their
//     continuation lines (§7.3.1: Headers joins them, HeaderLines does
//     not), header names with their compact forms (§7.3.3, one table),
//     and the end of the header block (HeaderEnd);
//   - the values the rest of sipdbg reads: ;name=value parameters
//     (Param), the auth-params of a challenge or credentials with their
//     quoted strings (§25.1, RFC 7616 §3.3; Auth), the first via-parm of a
//     Via (§20.42; TopVia), the URI of a name-addr or addr-spec (§20.10;
//     NameAddr), a CSeq (§20.16, SplitCSeq) and a Content-Length (§20.14,
//     Uint).
//
// Header names are matched against a Name, which carries its compact
// letter: the exported Names (Via, CallID, …) and Lookup take the letter
// from the one table, so a caller cannot pair a long name with a wrong
// letter. Besides Headers and HeaderLines, the pieces they are made of
// (Line, Folded, Unfold, Field) are exported: the indexer needs each
// header's offsets and an error for a line without a colon, which a
// callback cannot give it. TopVia returns the via-params unread, to be
// read with Param: the indexer reads the branch alone, and reads nothing
// it does not use.
//
// Every function reads a Text, a string or a byte slice, and returns
// sub-slices of its input of the input's own type. The digest parser
// works on strings and the others on the bytes of a capture; generics
// serve both without a copy, where a []byte-only lexer would have made the
// digest parser convert every header value. The searches go through a
// string view of the input (strings.IndexByte and the like, which are
// vectorised); only the joining of folded lines and the removal of
// backslash escapes allocate.
//
// Where two of sipdbg's readers used to disagree on a detail, the lexer
// keeps each caller's result: the start line is IsStart for framing and
// IsStartPrefix for the decoders, folded lines are joined by Headers and
// not by HeaderLines, and an unterminated last line losing all its CRs
// (the indexer's reading) reads the same as losing one (the text-trace
// parser's) to every caller. The differences left in the callers (a
// fold, a Via and a URI reader of their own) are named where they are
// kept. The tests keep the lexers siplex replaced (ref_test.go), and the
// fuzz targets check that each caller still reads what it did.
//
// It imports nothing of sipdbg.
package siplex
