package report

import (
	"bytes"
	"io"
	"runtime"
	"sync"
)

// Each call is analysed and written on its own: the store is only read,
// so calls go to every core in chunks, and the chunks are written in
// order. The output is the same, byte for byte, as from one goroutine.

// chunkCalls is how many calls one goroutine writes at a time.
const chunkCalls = 64

// eachInOrder writes n items with write(k, i, buf), chunks of them on
// several goroutines (k, from 0, tells which: state of its own), and
// copies the chunks to w in item order. It stops at the first error.
// After each window of chunks it tells pages (which may be nil) how
// many items are done. Each goroutine runs its chunk through guard (the
// store's Guard).
func eachInOrder(w io.Writer, n int, pages *pager, guard func(func() error) error, write func(k, i int, buf *bytes.Buffer) error) error {
	workers := max(1, runtime.GOMAXPROCS(0))
	if guard == nil {
		guard = func(fn func() error) error { return fn() }
	}
	bufs := make([]bytes.Buffer, workers)
	errs := make([]error, workers)
	for start := 0; start < n; start += workers * chunkCalls {
		var wg sync.WaitGroup
		active := 0 // chunks in this window: the last one may be short
		for k := range workers {
			lo := start + k*chunkCalls
			if lo >= n {
				break
			}
			active++
			hi := min(n, lo+chunkCalls)
			bufs[k].Reset()
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[k] = guard(func() error { // the source's bytes may vanish (session.Store.Guard)
					for i := lo; i < hi; i++ {
						if err := write(k, i, &bufs[k]); err != nil {
							return err
						}
					}
					return nil
				})
			}()
		}
		wg.Wait()
		for k := range active {
			if errs[k] != nil {
				return errs[k]
			}
			if _, err := w.Write(bufs[k].Bytes()); err != nil {
				return err
			}
		}
		pages.done(min(n, start+workers*chunkCalls))
	}
	return nil
}
