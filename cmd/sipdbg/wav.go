package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/report"
	"github.com/sipdbg/sipdbg/session"
)

// report --wav DIR: each G.711 stream of the capture as a WAV file, its
// payloads read back from the capture (the store keeps none), one line
// per file written and per stream skipped.

// writeWAVs writes the streams of store, loaded from the capture file
// name, into dir.
func writeWAVs(name string, store *session.Store, dir string, stdout, stderr io.Writer) int {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(stderr, "sipdbg: --wav %s: %v\n", dir, unwrapPath(err))
		return exitFail
	}
	var g711 []*session.Stream
	shown := 0
	for _, st := range store.Streams() {
		if !st.Plausible() {
			continue // datagrams that only look like RTP: the report does not show them either
		}
		shown++
		if why := report.WAVSkip(st); why != "" {
			fmt.Fprintf(stdout, "skipped %s: %s\n", report.WAVStream(st), why)
			continue
		}
		g711 = append(g711, st)
	}
	if shown == 0 {
		fmt.Fprintf(stdout, "no RTP stream in %s: no WAV file written\n", name)
		return exitOK
	}
	files, err := pipeline.WriteWAVs(name, g711, func(st *session.Stream) (io.WriteSeeker, string, error) {
		return createNew(dir, report.WAVName(st))
	})
	for _, f := range files {
		if f.Name == "" {
			fmt.Fprintf(stdout, "skipped %s: no G.711 payload in its packets\n", report.WAVStream(f.Stream))
			continue
		}
		fmt.Fprintf(stdout, "wrote %s (%s, %.1f s)\n", f.Name, report.WAVStream(f.Stream), f.Duration.Seconds())
	}
	if err != nil {
		fmt.Fprintln(stderr, "sipdbg: --wav:", err)
		return exitFail
	}
	return exitOK
}

// unwrapPath drops the path an *fs.PathError repeats: the line names the
// directory asked for already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// createNew creates name in dir, or name-2, name-3 … when it exists: an
// existing file is never overwritten. Mode 600: a call's audio is as
// private as its signalling.
func createNew(dir, name string) (*os.File, string, error) {
	ext := filepath.Ext(name)
	base := strings.TrimSuffix(name, ext)
	for i := 1; i <= 1000; i++ {
		p := filepath.Join(dir, name)
		if i > 1 {
			p = filepath.Join(dir, base+"-"+strconv.Itoa(i)+ext)
		}
		f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, p, err
	}
	return nil, "", fmt.Errorf("%s: a thousand files of that name exist already", filepath.Join(dir, name))
}
