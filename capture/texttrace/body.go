package texttrace

import (
	"bytes"

	"github.com/sipdbg/sipdbg/siplex"
)

func (p *parser) body(l *line) bool {
	t := p.bodyText(l)
	if p.interrupts(l, t) {
		p.finish()
		return true
	}
	if !p.msg.clKnown {
		_, ok := p.blockText(l)
		if !ok || siplex.IsStart(t) {
			p.finish()
			return true
		}
		p.msg.addBody(t, l.eol)
		return false
	}
	if p.bodyEnds(t) {
		p.finish()
		return true
	}
	rest, done := p.msg.bodyLine(t, l.eol)
	if !done {
		return false
	}
	p.finish()
	if len(rest) == 0 {
		return false
	}
	// The body ended inside the line (sipdump's "||||" and baresip's
	// colour reset follow a body that has no final line end).
	l.text, l.rest, l.pk = rest, rest, noPrefix
	return true
}

// bodyEnds reports, before t is added, that a body framed by
// Content-Length has ended although fewer bytes than that were read: in
// pasted messages, a SIP start line after an empty body line (the next
// message; in a trace format the next trace header says so, and such a
// line may be a message/sipfrag part of a multipart body), or, in a trace
// that dropped the CRs, a body that has its length once they are
// counted. A body that goes on past that length counted LFs alone.
func (p *parser) bodyEnds(t []byte) bool {
	b := &p.msg
	if p.m.format == FormatPlain && b.bodyLen() > 0 && b.lastBlank && siplex.IsStart(t) {
		b.dropBlank()
		return true
	}
	if !b.lf || b.rawCount || b.bodyCR || b.counted() < b.cl {
		return false
	}
	if isBlank(t) || siplex.IsStart(t) {
		return true
	}
	b.rawCount = true
	return b.bodyLen() >= b.cl
}

// finish turns the message read so far into a record.
func (p *parser) finish() {
	p.st = stIdle
	data, why := p.msg.finish()
	if why != "" && !p.msg.over {
		p.problem(p.msg.line, "%s", why)
	}
	if p.msg.over {
		p.problem(p.msg.line, "message longer than %d bytes: skipped", maxMessage)
		return
	}
	m := &p.m
	r := rec{
		Record: Record{
			Line: p.msg.line, Src: m.src, Dst: m.dst, Transport: m.transport,
			Data: bytes.Clone(data), Format: m.format,
		},
		ts: m.ts, ref: p.ref, srcGiven: m.src.IsValid(), dstGiven: m.dst.IsValid(),
	}
	p.recs = append(p.recs, r)
}

// isEnd recognises the line that closes a block of the given kind.
func isEnd(k endKind, t []byte) bool {
	switch k {
	case endChanSIP:
		return len(t) >= 3 && t[0] == '<' && t[len(t)-1] == '>' && allBytes(t[1:len(t)-1], '-')
	case endChanRetx:
		return string(t) == "---"
	case endDashes:
		t = bytes.TrimLeft(t, " ")
		return len(t) >= 20 && allBytes(t, '-')
	case endSipdump:
		return sipdumpEnd(t)
	}
	return false
}

func allBytes(b []byte, c byte) bool {
	for _, x := range b {
		if x != c {
			return false
		}
	}
	return len(b) > 0
}
