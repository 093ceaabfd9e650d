package texttrace

import (
	"bytes"
	"fmt"
	"time"

	"github.com/sipdbg/sipdbg/siplex"
)

type state uint8

const (
	stIdle    state = iota
	stAwait         // after a trace header: the start line comes next
	stHeaders       // in the message's header lines
	stBody          // in the body
)

// rec is a Record with what is needed to complete it after the last line.
type rec struct {
	Record
	ts                 stamp
	ref                time.Time // the nearest full timestamp before the message
	srcGiven, dstGiven bool
}

// line is one input line without its ANSI escapes, split from its log
// prefix.
type line struct {
	n    int
	text []byte
	eol  []byte
	pk   prefixKind
	ts   stamp
	rest []byte // text without the log prefix
}

type parser struct {
	recs    []rec
	probs   []Problem
	dropped int // problems beyond maxProblems
	st      state
	m       meta       // of the message being read
	mLine   int        // line of its trace header
	pk      prefixKind // log prefix of the block's first line
	ref     time.Time  // lastFull when the message started
	msg     msgBuf
	sd      sipdumpState
	hash    stamp // baresip's "#" line …
	hashAt  int   // … and where it was
	first   time.Time
	last    time.Time
	ansi    []byte
}

func (p *parser) problem(n int, format string, args ...any) {
	if len(p.probs) >= maxProblems {
		p.dropped++
		return
	}
	p.probs = append(p.probs, Problem{Line: n, Reason: fmt.Sprintf(format, args...)})
}

// feed processes one input line.
func (p *parser) feed(n int, raw, eol []byte) {
	if n == 1 {
		raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark, as Windows editors save
	}
	text := raw
	if bytes.IndexByte(raw, 0x1b) >= 0 {
		p.ansi = stripANSI(p.ansi[:0], raw)
		text = p.ansi
	}
	l := line{n: n, text: text, eol: eol}
	l.split()
	p.noteTime(l.ts)
	// A state change hands the line on to the next state, at most
	// twice: body → idle, and the tail of a line after the body.
	for range 4 {
		if !p.step(&l) {
			return
		}
	}
}

func (l *line) split() { l.pk, l.ts, l.rest = stripPrefix(l.text) }

// noteTime remembers full timestamps, to complete partial ones.
func (p *parser) noteTime(s stamp) {
	if s.kind != fullStamp {
		return
	}
	p.last = s.full()
	if p.first.IsZero() {
		p.first = p.last
	}
}

// step processes l in the current state and reports whether it must be
// processed again in the state it left the parser in.
func (p *parser) step(l *line) bool {
	switch p.st {
	case stAwait:
		return p.await(l)
	case stHeaders:
		return p.headers(l)
	case stBody:
		return p.body(l)
	}
	return p.idle(l)
}

func (p *parser) idle(l *line) bool {
	if p.sd.active {
		if m, done, ok := p.sd.line(l.text); ok {
			if done {
				p.begin(m, l, noPrefix)
			}
			return false
		}
		p.problem(p.sd.start, "sipdump entry without its \"~~~~\" line")
		p.sd = sipdumpState{}
	}
	switch {
	case p.sd.begin(l.text, l.n):
	case p.header(l):
	case p.baresipHash(l):
	case siplex.IsStart(l.rest):
		p.begin(meta{format: FormatPlain, ts: l.ts}, l, l.pk)
		p.startMessage(l.n, l.rest)
	}
	return false
}

// header starts a block if l is a trace header. The line is tried as it
// is first: sngrep's header starts with what looks like a log stamp.
func (p *parser) header(l *line) bool {
	if m, ok := traceHeader(l.text); ok {
		p.begin(m, l, noPrefix)
		return true
	}
	if l.pk == noPrefix {
		return false
	}
	m, ok := traceHeader(l.rest)
	if ok {
		p.begin(m, l, l.pk)
	}
	return ok
}

func (p *parser) baresipHash(l *line) bool {
	s, ok := baresipHash(l.text)
	if ok {
		p.hash, p.hashAt = s, l.n
	}
	return ok
}

// begin starts waiting for the message a trace header announced.
func (p *parser) begin(m meta, l *line, pk prefixKind) {
	if m.format == FormatBaresip && p.hashAt == l.n-1 && m.ts.kind == noStamp {
		m.ts = p.hash
	}
	if m.ts.kind == noStamp && pk != noPrefix {
		m.ts = l.ts
	}
	if m.badAddr != "" {
		p.problem(l.n, "%s trace: %q is not an IP address and port", m.format, m.badAddr)
	}
	p.m, p.mLine, p.pk, p.st = m, l.n, pk, stAwait
}

func (p *parser) startMessage(n int, t []byte) {
	p.msg.reset(n)
	p.msg.add(t, crlf)
	p.ref = p.last
	p.st = stHeaders
}

// flush ends what the input left open.
func (p *parser) flush() {
	switch p.st {
	case stAwait:
		p.problem(p.mLine, "%s trace block holds no SIP message", p.m.format)
	case stHeaders, stBody:
		p.finish()
	}
	if p.sd.active {
		p.problem(p.sd.start, "sipdump entry without its \"~~~~\" line")
	}
	p.st = stIdle
}
