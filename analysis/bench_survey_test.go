package analysis_test

import (
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/testkit/gen"
)

// BenchmarkSurvey reads a generated capture once for scanners and
// password guessing, as a report does before judging its calls.
func BenchmarkSurvey(b *testing.B) {
	s, _, err := gen.Store(gen.Config{Seed: 3, Messages: 50000})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		analysis.NewSurvey(s)
	}
}
