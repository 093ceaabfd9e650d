package demo

import (
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// Store loads the demo capture, for tests and the demo command.
func Store() (*session.Store, error) {
	r, err := Open()
	if err != nil {
		return nil, err
	}
	s := session.NewStore()
	return s, pipeline.Load(r, s)
}
