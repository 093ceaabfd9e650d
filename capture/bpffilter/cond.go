package bpffilter

import "golang.org/x/net/bpf"

// cond is a boolean combination of packet tests, the form a filter takes
// between parsing and code generation.
type cond interface{ isCond() }

// ctest loads a value into A (loads, which may also set X) and compares it
// with val using op, one of the BPF conditional jumps.
type ctest struct {
	loads []bpf.Instruction
	op    bpf.JumpTest
	val   uint32
}

type cand struct{ l, r cond }
type cor struct{ l, r cond }
type cnot struct{ x cond }
type cconst bool

func (ctest) isCond()  {}
func (cand) isCond()   {}
func (cor) isCond()    {}
func (cnot) isCond()   {}
func (cconst) isCond() {}

// and2 is l && r, folding constants.
func and2(l, r cond) cond {
	if c, ok := l.(cconst); ok {
		if !c {
			return c
		}
		return r
	}
	if c, ok := r.(cconst); ok {
		if !c {
			return c
		}
		return l
	}
	return cand{l, r}
}

// or2 is l || r, folding constants.
func or2(l, r cond) cond {
	if c, ok := l.(cconst); ok {
		if c {
			return c
		}
		return r
	}
	if c, ok := r.(cconst); ok {
		if c {
			return c
		}
		return l
	}
	return cor{l, r}
}

// not1 is !x, folding constants.
func not1(x cond) cond {
	if c, ok := x.(cconst); ok {
		return !c
	}
	return cnot{x}
}

// andAll and orAll fold a list of conditions.
func andAll(cs ...cond) cond {
	out := cond(cconst(true))
	for _, c := range cs {
		out = and2(out, c)
	}
	return out
}

func orAll(cs ...cond) cond {
	out := cond(cconst(false))
	for _, c := range cs {
		out = or2(out, c)
	}
	return out
}

// Loads of A from an absolute offset (BPF_LD|BPF_ABS) and from X+offset
// (BPF_LD|BPF_IND).
func ldb(off uint32) bpf.Instruction { return bpf.LoadAbsolute{Off: off, Size: 1} }
func ldh(off uint32) bpf.Instruction { return bpf.LoadAbsolute{Off: off, Size: 2} }
func ldw(off uint32) bpf.Instruction { return bpf.LoadAbsolute{Off: off, Size: 4} }

// eq builds `load; jeq val`.
func eq(val uint32, loads ...bpf.Instruction) cond {
	return ctest{loads: loads, op: bpf.JumpEqual, val: val}
}

// maskedEq builds `load; and mask; jeq val&mask`; a zero mask is true.
func maskedEq(load bpf.Instruction, mask, val uint32) cond {
	switch mask {
	case 0:
		return cconst(true)
	case 0xffffffff:
		return eq(val, load)
	}
	and := bpf.ALUOpConstant{Op: bpf.ALUOpAnd, Val: mask}
	return eq(val&mask, load, and)
}
