//go:build linux

package main

import (
	"golang.org/x/net/bpf"

	"github.com/sipdbg/sipdbg/capture"
)

func openLive(iface string, prog []bpf.Instruction) (capture.Source, error) {
	return capture.OpenLive(iface, prog)
}
