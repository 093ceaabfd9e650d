//go:build !unix

package capture

import (
	"errors"
	"os"
)

func mapFile(*os.File, int64) ([]byte, error) { return nil, errors.New("no mmap here") }

func unmapFile([]byte) {}

func unmapPages([]byte, bool) {}

func randomAccess([]byte) {}
