package analysis_test

import (
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/testkit/gen"
)

// BenchmarkDiagnose judges every call of a generated capture (REGISTER
// and INVITE with 401/407, wrong passwords, scanners, every state).
func BenchmarkDiagnose(b *testing.B) {
	s, _, err := gen.Store(gen.Config{Seed: 3, Messages: 50000})
	if err != nil {
		b.Fatal(err)
	}
	calls := s.Calls()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for _, c := range calls {
			analysis.Diagnose(s, c, analysis.Options{})
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(calls)), "ns/call")
}
