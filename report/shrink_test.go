package report

import (
	"errors"
	"io"
	"os"
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/testkit/gen"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// A report of a mapped capture that was cut short after loading: the
// workers that read the messages' bytes return ErrShrank instead of
// dying of SIGBUS.
func TestReportOfShrunkFile(t *testing.T) {
	r, path, _, err := gen.Mapped(t.TempDir(), gen.Config{Seed: 4, Messages: 5000})
	if err != nil {
		t.Fatal(err)
	}
	if r == nil {
		t.Skip("capture files are not mapped on this platform")
	}
	defer r.Close()
	s := session.NewStore()
	if err := pipeline.Load(r, s); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, 24); err != nil {
		t.Fatal(err)
	}
	for name, write := range map[string]func() error{
		"json": func() error { return JSON(io.Discard, []string{path}, s, analysis.Options{}) },
		"text": func() error { return Text(io.Discard, s, analysis.Options{}, false) },
	} {
		if err := write(); !errors.Is(err, capture.ErrShrank) {
			t.Errorf("%s report of a file cut short: %v, want ErrShrank", name, err)
		}
	}
}
