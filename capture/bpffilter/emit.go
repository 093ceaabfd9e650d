package bpffilter

import "golang.org/x/net/bpf"

// maxInstructions is the kernel's limit on a classic BPF program
// (BPF_MAXINSNS in linux/bpf_common.h).
const maxInstructions = 4096

// itemKind is the kind of an item of the symbolic program.
type itemKind int

const (
	itemIns   itemKind = iota // a plain instruction
	itemJump                  // a conditional jump to labels t and f
	itemJa                    // an unconditional jump to label t
	itemLabel                 // the position of label t
)

// item is one element of the symbolic program, with jumps still naming
// labels rather than offsets.
type item struct {
	kind itemKind
	ins  bpf.Instruction
	op   bpf.JumpTest
	val  uint32
	t, f int
}

// emitter generates the symbolic program by short-circuit evaluation:
// every condition is compiled with a true and a false target, both placed
// after it, so all jumps go forward as classic BPF requires.
type emitter struct {
	items  []item
	labels int
}

func (e *emitter) newLabel() int {
	e.labels++
	return e.labels - 1
}

func (e *emitter) place(l int) { e.items = append(e.items, item{kind: itemLabel, t: l}) }

// gen emits code that jumps to t when c holds and to f otherwise.
func (e *emitter) gen(c cond, t, f int) {
	switch c := c.(type) {
	case ctest:
		for _, ins := range c.loads {
			e.items = append(e.items, item{kind: itemIns, ins: ins})
		}
		e.items = append(e.items, item{kind: itemJump, op: c.op, val: c.val, t: t, f: f})
	case cand:
		m := e.newLabel()
		e.gen(c.l, m, f)
		e.place(m)
		e.gen(c.r, t, f)
	case cor:
		m := e.newLabel()
		e.gen(c.l, t, m)
		e.place(m)
		e.gen(c.r, t, f)
	case cnot:
		e.gen(c.x, f, t)
	case cconst:
		target := f
		if c {
			target = t
		}
		e.items = append(e.items, item{kind: itemJa, t: target})
	}
}

// program emits c followed by `ret #snaplen` (match) and `ret #0`.
func program(c cond, snaplen uint32) ([]bpf.Instruction, error) {
	if k, ok := c.(cconst); ok {
		return []bpf.Instruction{bpf.RetConstant{Val: retFor(bool(k), snaplen)}}, nil
	}
	var e emitter
	match, drop := e.newLabel(), e.newLabel()
	e.gen(c, match, drop)
	e.place(match)
	e.items = append(e.items, item{kind: itemIns, ins: bpf.RetConstant{Val: snaplen}})
	e.place(drop)
	e.items = append(e.items, item{kind: itemIns, ins: bpf.RetConstant{Val: 0}})
	return e.resolve()
}

func retFor(match bool, snaplen uint32) uint32 {
	if match {
		return snaplen
	}
	return 0
}
