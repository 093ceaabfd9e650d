package bpffilter

import "golang.org/x/net/bpf"

// maxCondSkip is the farthest a conditional jump reaches: its jt and jf
// are 8-bit offsets (struct sock_filter in linux/filter.h).
const maxCondSkip = 255

// resolve turns the symbolic program into instructions. Conditional jumps
// farther than 255 instructions go through an unconditional `ja`
// trampoline (32-bit offset) placed right after them; since trampolines
// lengthen other jumps, this repeats until every jump fits.
func (e *emitter) resolve() ([]bpf.Instruction, error) {
	for {
		if n := e.count(); n > maxInstructions {
			return nil, errorf(0, "filter too large: %d instructions (the kernel limit is %d)", n, maxInstructions)
		}
		pos, lpos := e.layout()
		if !e.fixFar(pos, lpos) {
			return e.final(pos, lpos), nil
		}
	}
}

// count is the number of real instructions.
func (e *emitter) count() int {
	n := 0
	for _, it := range e.items {
		if it.kind != itemLabel {
			n++
		}
	}
	return n
}

// layout gives each item its instruction index and each label the index
// of the instruction it precedes.
func (e *emitter) layout() ([]int, []int) {
	pos := make([]int, len(e.items))
	lpos := make([]int, e.labels)
	n := 0
	for i, it := range e.items {
		pos[i] = n
		if it.kind == itemLabel {
			lpos[it.t] = n
			continue
		}
		n++
	}
	return pos, lpos
}

// fixFar adds trampolines for the conditional jumps that are too far and
// reports whether it added any.
func (e *emitter) fixFar(pos, lpos []int) bool {
	out := make([]item, 0, len(e.items))
	changed := false
	for i, it := range e.items {
		if it.kind != itemJump {
			out = append(out, it)
			continue
		}
		var tramp []item
		for _, target := range []*int{&it.t, &it.f} {
			if lpos[*target]-pos[i]-1 > maxCondSkip {
				m := e.newLabel()
				tramp = append(tramp, item{kind: itemLabel, t: m}, item{kind: itemJa, t: *target})
				*target = m
				changed = true
			}
		}
		out = append(out, it)
		out = append(out, tramp...)
	}
	e.items = out
	return changed
}

// final converts the laid-out items to BPF instructions.
func (e *emitter) final(pos, lpos []int) []bpf.Instruction {
	prog := make([]bpf.Instruction, 0, len(e.items))
	for i, it := range e.items {
		switch it.kind {
		case itemIns:
			prog = append(prog, it.ins)
		case itemJump:
			prog = append(prog, bpf.JumpIf{Cond: it.op, Val: it.val,
				SkipTrue:  uint8(lpos[it.t] - pos[i] - 1),
				SkipFalse: uint8(lpos[it.f] - pos[i] - 1)})
		case itemJa:
			prog = append(prog, bpf.Jump{Skip: uint32(lpos[it.t] - pos[i] - 1)})
		}
	}
	return prog
}
