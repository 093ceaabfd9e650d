//go:build race

package bpffilter

// raceDetector: under -race the differential tests compare a
// representative subset (the race detector slows the ~4 million VM runs of
// the full comparison tenfold, and this package has no concurrency of its
// own to check).
const raceDetector = true
