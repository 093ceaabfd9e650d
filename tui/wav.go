package tui

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/report"
	"github.com/sipdbg/sipdbg/session"
)

// A call's audio as WAV files, for W in the flow and the streams pane: each G.711 stream of
// the call (ITU-T G.711: PCMU, PCMA) one file in the save directory,
// named as `sipdbg report --wav` names them, never over another file.
// The payloads are read back from the capture file (the store keeps
// none), in a Cmd.

// wavSavedMsg says what saveWAV wrote.
type wavSavedMsg struct {
	files   []string // the files written
	skipped []string // a line per stream left out, with the reason
	err     error    // what stopped the writing (the files before it are whole)
	note    string   // all of it in one line, for the status bar
}

// saveWAV writes the G.711 streams of call, read back from the capture
// file file, into dir. It takes what it needs of the store now (call it
// from Update); the Cmd does the I/O.
func saveWAV(store *session.Store, call *session.Call, file, dir string) tea.Cmd {
	all := snapshot(store.CallStreams(call))
	var g711 []*session.Stream
	var skipped []string
	for _, st := range all {
		if why := report.WAVSkip(st); why != "" {
			skipped = append(skipped, report.WAVStream(st)+": "+why)
		} else {
			g711 = append(g711, st)
		}
	}
	return func() tea.Msg {
		if abs, err := filepath.Abs(dir); err == nil {
			dir = abs // the note says where, "." says nothing
		}
		msg := wavSavedMsg{skipped: skipped}
		switch {
		case len(all) == 0:
			msg.note = "No WAV: the call has no RTP stream in the capture"
			return msg
		case len(g711) > 0 && file == "":
			msg.err = errors.New("the RTP payloads are not kept in memory, and this source (live, standard input or a paste) cannot be read again")
		case len(g711) > 0:
			msg.err = writeCallWAVs(&msg, file, dir, g711)
		}
		msg.note = wavNote(&msg, dir)
		return msg
	}
}

// writeCallWAVs writes the streams' files into dir and lists them in
// msg.
func writeCallWAVs(msg *wavSavedMsg, file, dir string, streams []*session.Stream) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files, err := pipeline.WriteWAVs(file, streams, func(st *session.Stream) (io.WriteSeeker, string, error) {
		return createNew(dir, report.WAVName(st))
	})
	for _, f := range files {
		if f.Name == "" {
			msg.skipped = append(msg.skipped, report.WAVStream(f.Stream)+": no G.711 payload in its packets")
		} else {
			msg.files = append(msg.files, f.Name)
		}
	}
	return err
}

// wavNote says what was written and skipped in one line.
func wavNote(msg *wavSavedMsg, dir string) string {
	var parts []string
	if len(msg.files) > 0 {
		parts = append(parts, "Saved "+plural(len(msg.files), "WAV file")+" in "+dir)
	}
	if msg.err != nil {
		parts = append(parts, "WAV not saved: "+msg.err.Error())
	}
	switch len(msg.skipped) {
	case 0:
	case 1:
		parts = append(parts, "skipped "+msg.skipped[0])
	default:
		parts = append(parts, "skipped "+strconv.Itoa(len(msg.skipped))+" streams ("+msg.skipped[0]+"; …)")
	}
	if len(parts) == 0 {
		return "No WAV written"
	}
	return strings.Join(parts, "; ")
}

// wavSaved shows what saveWAV did on the status line.
func (m Model) wavSaved(msg wavSavedMsg) (tea.Model, tea.Cmd) {
	m.note = msg.note
	return m, nil
}

// createNew creates name in dir, or name-2, name-3 … when it exists: an
// existing file is never overwritten. Mode 600, as every save.
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
	return nil, "", errors.New(filepath.Join(dir, name) + ": a thousand files of that name exist already")
}
