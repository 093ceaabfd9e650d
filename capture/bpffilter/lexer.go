package bpffilter

import (
	"fmt"
	"unicode/utf8"
)

// tokKind is the class of a lexical token.
type tokKind int

const (
	tokEOF tokKind = iota
	tokWord
	tokLParen
	tokRParen
	tokNot
	tokAnd
	tokOr
	tokSlash
	tokBad
)

// token is one lexical token; pos is its byte offset in the expression.
type token struct {
	kind tokKind
	text string
	pos  int
	msg  string // for tokBad: why the character is rejected
}

// lex splits expr into tokens. Lexing stops at the first character that is
// not part of the supported language; it becomes a tokBad token so that the
// parser reports it only if it gets that far (earlier errors win).
func lex(expr string) []token {
	var toks []token
	for i := 0; i < len(expr); {
		c := expr[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case isWordByte(c):
			j := i
			for j < len(expr) && isWordByte(expr[j]) {
				j++
			}
			toks = append(toks, wordToken(expr[i:j], i))
			i = j
		default:
			t, n := punctToken(expr, i)
			toks = append(toks, t)
			if t.kind == tokBad {
				return append(toks, token{kind: tokEOF, pos: len(expr)})
			}
			i += n
		}
	}
	return append(toks, token{kind: tokEOF, pos: len(expr)})
}

// isWordByte reports whether c can be part of a keyword, number or address
// (IPv4 dotted quads, IPv6 literals, port ranges such as 5060-5070).
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '.' || c == ':' || c == '-' || c == '_'
}

// wordToken classifies a word: the boolean operators of pcap-filter(7)
// ("and", "or", "not") get their own kinds, everything else is a tokWord.
func wordToken(w string, pos int) token {
	switch w {
	case "and":
		return token{kind: tokAnd, text: w, pos: pos}
	case "or":
		return token{kind: tokOr, text: w, pos: pos}
	case "not":
		return token{kind: tokNot, text: w, pos: pos}
	}
	return token{kind: tokWord, text: w, pos: pos}
}

// punctToken lexes the punctuation at expr[i] and returns it with its length.
func punctToken(expr string, i int) (token, int) {
	two := ""
	if i+1 < len(expr) {
		two = expr[i : i+2]
	}
	switch {
	case two == "&&":
		return token{kind: tokAnd, text: two, pos: i}, 2
	case two == "||":
		return token{kind: tokOr, text: two, pos: i}, 2
	case two == "!=":
		return badToken(expr, i, "comparisons are not supported"), 0
	}
	switch expr[i] {
	case '(':
		return token{kind: tokLParen, text: "(", pos: i}, 1
	case ')':
		return token{kind: tokRParen, text: ")", pos: i}, 1
	case '!':
		return token{kind: tokNot, text: "!", pos: i}, 1
	case '/':
		return token{kind: tokSlash, text: "/", pos: i}, 1
	case '[', ']':
		return badToken(expr, i, "packet byte accessors (proto[offset]) are not supported"), 0
	case '=', '<', '>', '+', '*', '&', '|', '%', '^':
		return badToken(expr, i, "arithmetic and comparisons are not supported"), 0
	}
	return badToken(expr, i, ""), 0
}

// badToken describes the unsupported character at expr[i].
func badToken(expr string, i int, why string) token {
	r, _ := utf8.DecodeRuneInString(expr[i:])
	msg := fmt.Sprintf("unsupported character %q", r)
	if r == utf8.RuneError {
		msg = fmt.Sprintf("unsupported byte 0x%02x", expr[i])
	}
	if why != "" {
		msg += " (" + why + ")"
	}
	return token{kind: tokBad, pos: i, msg: msg}
}
