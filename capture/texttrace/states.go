package texttrace

import (
	"bytes"

	"github.com/sipdbg/sipdbg/siplex"
)

// blockText returns l as the current block holds it: without the log
// prefix its first line had and, for FreeSWITCH, without the indent. ok
// is false for a line with a log prefix of another kind: a log line that
// is not part of the message.
func (p *parser) blockText(l *line) ([]byte, bool) {
	t := l.text
	if l.pk != noPrefix {
		if l.pk != p.pk {
			return nil, false
		}
		t = l.rest
	}
	if p.m.indent {
		t = bytes.TrimPrefix(t, []byte("   "))
	}
	return t, true
}

// bodyText is blockText for body lines, which may hold anything: a log
// prefix of another kind is content there.
func (p *parser) bodyText(l *line) []byte {
	if t, ok := p.blockText(l); ok {
		return t
	}
	return l.text
}

// interrupts reports a line that ends a block whatever state it is in:
// a new trace header, or the end marker of the block's format. sipdump's
// "====" line is content in the body of another format's message.
func (p *parser) interrupts(l *line, t []byte) bool {
	if (p.st != stBody || p.m.end == endSipdump) && sipdumpStart(l.text) {
		return true
	}
	if _, ok := traceHeader(l.text); ok {
		return true
	}
	if _, ok := traceHeader(l.rest); ok && l.pk != noPrefix {
		return true
	}
	return isEnd(p.m.end, t)
}

func (p *parser) await(l *line) bool {
	t, ok := p.blockText(l)
	switch {
	case ok && p.m.end == endDashes && !p.m.opened && isEnd(endDashes, t):
		// sofia-sip indents the message by three spaces, its
		// dashes too; some copies of such traces lost the indent.
		p.m.indent = bytes.HasPrefix(t, []byte("   "))
		p.m.opened = true
		return false
	case ok && isEnd(p.m.end, t):
		p.st = stIdle // an empty block: a keep-alive
		return false
	case ok && isBlank(t):
		return false
	case ok && siplex.IsStart(t):
		p.startMessage(l.n, t)
		return false
	}
	p.problem(p.mLine, "%s trace block holds no SIP message", p.m.format)
	p.st = stIdle
	return true
}

func (p *parser) headers(l *line) bool {
	t, ok := p.blockText(l)
	cut := !ok || p.interrupts(l, t) || p.msg.headers > 0 && siplex.IsStart(t)
	if !cut && p.m.format == FormatPlain && p.msg.headers == 0 && !siplex.LooksLikeField(t) {
		p.st = stIdle // a start line alone, in prose: not a message
		return true
	}
	if !cut && p.m.format == FormatPlain && !isBlank(t) && !siplex.LooksLikeField(t) {
		cut = true
	}
	if cut {
		p.finish()
		return true
	}
	if !isBlank(t) {
		p.msg.header(t)
		return false
	}
	p.msg.endHeaders(l.eol)
	if p.msg.clKnown && p.msg.cl > 0 || !p.msg.clKnown && p.msg.ctype {
		p.st = stBody
		return false
	}
	p.finish()
	return false
}
