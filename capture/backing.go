package capture

// The messages a source emits may rest on a mapped file (Payload.Stable):
// whoever keeps them (a session store) reads them later, here and there,
// and needs two things it must not know the reason for. Reading must be
// guarded, because another process may cut the file short; and the pages
// read should go back, or a capture that is browsed, filtered or
// reported stays resident whole. Backing is both, for one source.

// residentWindow is how much of a mapped capture may stay resident while
// its messages are read out of order, before every page goes back.
const residentWindow = 128 << 20

// Backing is what the bytes of a source's messages rest on. It satisfies
// session.Backing; the pipeline gives one to the store it fills.
type Backing struct {
	src  Source
	done bool // src has been read to its end: its reader is idle
}

// BackingOf returns src's backing. done says src has been read to its
// end, so that nothing else is reading it: only then does Release hand
// pages back (while a goroutine still decodes src, its pages are that
// goroutine's business).
func BackingOf(src Source, done bool) Backing { return Backing{src: src, done: done} }

// Guard runs fn, which reads the messages' bytes: see the package
// function Guard.
func (b Backing) Guard(fn func() error) error { return Guard(fn) }

// Release says that the bytes before next (the Data of a message, or a
// slice of it) will not be read again soon, because messages are read in
// capture order, and that the rest is read out of order: the pages before
// next go back, and all of them once more than a window is resident. next
// is nil when there is no order to go by. Sources that are not mapped
// ignore it.
func (b Backing) Release(next []byte) {
	if b.done {
		ReleaseBehind(b.src, next, residentWindow)
	}
}
