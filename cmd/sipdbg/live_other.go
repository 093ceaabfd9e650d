//go:build !linux

package main

import (
	"errors"

	"golang.org/x/net/bpf"

	"github.com/sipdbg/sipdbg/capture"
)

func openLive(iface string, prog []bpf.Instruction) (capture.Source, error) {
	return nil, errors.New("live capture from an interface is Linux-only; use --hep or a capture file")
}
