package bpffilter

import "fmt"

// maxDepth bounds the nesting of parentheses and `not`s so that hostile
// input cannot make the recursive-descent parser recurse without limit.
const maxDepth = 256

// maxTokens bounds the length of an expression: a longer one could not fit
// in maxInstructions anyway.
const maxTokens = 4 * maxInstructions

// parser is a recursive-descent parser for the supported subset of
// pcap-filter(7). Precedence follows pcap-filter(7): `not` binds tightest,
// `and` and `or` have equal precedence and associate to the left.
type parser struct {
	toks  []token
	i     int
	vlans int // `vlan` keywords seen so far (they shift later offsets)
	depth int
}

// parse parses expr; a blank expression yields a nil node (match all).
func parse(expr string) (node, error) {
	p := &parser{toks: lex(expr)}
	if len(p.toks) > maxTokens {
		return nil, errorf(p.toks[maxTokens].pos, "expression too long (more than %d tokens)", maxTokens)
	}
	if p.peek().kind == tokEOF {
		return nil, nil
	}
	n, _, err := p.expr(qual{})
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.unexpected(t)
	}
	return n, nil
}

func (p *parser) peek() token { return p.toks[p.i] }

// peekAt returns the token k places ahead (EOF past the end).
func (p *parser) peekAt(k int) token {
	if p.i+k >= len(p.toks) {
		return p.toks[len(p.toks)-1]
	}
	return p.toks[p.i+k]
}

// next consumes a token; EOF is never consumed.
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

// enter and leave track the recursion depth.
func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return errorf(p.peek().pos, "expression nested too deeply (more than %d levels)", maxDepth)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// expr parses `term { (and|or) (term|id) }`. before is the qualifier set an
// abbreviated ID may reuse; the returned qual is the one in force after
// the expression.
func (p *parser) expr(before qual) (node, qual, error) {
	n, q, err := p.term(before)
	for err == nil {
		op := p.peek()
		if op.kind != tokAnd && op.kind != tokOr {
			break
		}
		p.next()
		var r node
		r, q, err = p.operand(q)
		if err == nil {
			n = &binNode{and: op.kind == tokAnd, l: n, r: r}
		}
	}
	return n, q, err
}

// operand parses the right side of and/or: either a term or a bare ID that
// repeats the previous qualifiers (`port 5060 or 5061`).
func (p *parser) operand(q qual) (node, qual, error) {
	if !p.startsID() {
		return p.term(q)
	}
	if !q.valid {
		t := p.firstValue()
		return nil, q, errorf(t.pos, "missing qualifier (host, net, port...) before %q", t.text)
	}
	n, err := p.id(q)
	return n, q, err
}

// startsID reports whether the next tokens are `{not|(} value`, the start
// of an abbreviated ID rather than of a term.
func (p *parser) startsID() bool {
	return isValueTok(p.firstValue())
}

// firstValue skips `not`, `!` and `(` and returns the token after them.
func (p *parser) firstValue() token {
	k := 0
	for t := p.peekAt(k); t.kind == tokNot || t.kind == tokLParen; t = p.peekAt(k) {
		k++
	}
	return p.peekAt(k)
}

func isValueTok(t token) bool { return t.kind == tokWord && isValue(t.text) }

// term parses `not term`, `( expr )` or a primitive.
func (p *parser) term(before qual) (node, qual, error) {
	if err := p.enter(); err != nil {
		return nil, before, err
	}
	defer p.leave()
	switch t := p.peek(); t.kind {
	case tokNot:
		p.next()
		x, q, err := p.term(before)
		if err != nil {
			return nil, q, err
		}
		return &notNode{x: x}, q, nil
	case tokLParen:
		p.next()
		x, _, err := p.expr(before)
		if err == nil {
			err = p.closeParen(t)
		}
		// As in libpcap's grammar, a parenthesised expression leaves the
		// qualifiers that preceded it in force.
		return x, before, err
	case tokWord:
		return p.primitive()
	default:
		return nil, before, p.unexpected(t)
	}
}

// closeParen consumes the `)` matching open.
func (p *parser) closeParen(open token) error {
	if t := p.peek(); t.kind != tokRParen {
		if t.kind == tokEOF {
			return errorf(open.pos, "unbalanced \"(\"")
		}
		return p.unexpected(t)
	}
	p.next()
	return nil
}

// unexpected describes a token that does not fit where it stands.
func (p *parser) unexpected(t token) error {
	switch {
	case t.kind == tokBad:
		return errorf(t.pos, "%s", t.msg)
	case t.kind == tokEOF:
		return errorf(t.pos, "unexpected end of expression")
	case t.kind == tokRParen:
		return errorf(t.pos, "unbalanced \")\"")
	case t.kind == tokWord && isValue(t.text):
		return errorf(t.pos, "unexpected value %q (missing \"and\"/\"or\" or a qualifier?)", t.text)
	case t.kind == tokWord && !isKeyword(t.text):
		return errorf(t.pos, "unsupported keyword %q", t.text)
	}
	return errorf(t.pos, "unexpected %q", t.text)
}

// describe names a token for messages.
func describe(t token) string {
	if t.kind == tokEOF {
		return "end of expression"
	}
	return fmt.Sprintf("%q", t.text)
}
