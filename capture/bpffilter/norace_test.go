//go:build !race

package bpffilter

// raceDetector is false without -race; see race_test.go.
const raceDetector = false
