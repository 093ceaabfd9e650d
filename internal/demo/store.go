package demo

import (
	"bytes"

	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// Store loads the demo capture, for tests and the demo command.
func Store() (*session.Store, error) {
	r, err := capture.NewReader(bytes.NewReader(Capture), Name, int64(len(Capture)))
	if err != nil {
		return nil, err
	}
	s := session.NewStore()
	return s, pipeline.Load(r, s)
}
