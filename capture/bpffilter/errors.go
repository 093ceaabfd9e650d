package bpffilter

import "fmt"

// Error is a filter that cannot be compiled: a syntax error, a value out of
// range, or a part of the tcpdump language this package does not support.
// Pos is the byte offset in the expression where the problem starts.
type Error struct {
	Pos int
	Msg string
}

// Error formats the error as `filter: MSG at POS`.
func (e *Error) Error() string {
	return fmt.Sprintf("filter: %s at %d", e.Msg, e.Pos)
}

// errorf builds an *Error at pos.
func errorf(pos int, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}
