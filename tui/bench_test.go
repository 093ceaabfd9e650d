package tui

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/testkit/gen"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// The bar: with 1,000,000 messages loaded every key press is
// answered within 50 ms. These benchmarks measure one key press and the
// frame drawn after it (ns/op is the time to answer), on a generated
// capture of SIPDBG_BENCH_MESSAGES messages (default 1,000,000):
//
//	go test -run '^$' -bench . -benchtime 200x ./tui/

var (
	benchOnce  sync.Once
	benchStore *session.Store
)

func benchModel(b *testing.B) Model {
	b.Helper()
	benchOnce.Do(func() {
		n := 1000000
		if v, err := strconv.Atoi(os.Getenv("SIPDBG_BENCH_MESSAGES")); err == nil && v > 0 {
			n = v
		}
		path := filepath.Join(os.TempDir(), "sipdbg-tui-bench-"+strconv.Itoa(n)+".pcap")
		if _, err := os.Stat(path); err != nil {
			f, err := os.Create(path)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := gen.Generate(f, gen.Config{Seed: 1, Messages: n}); err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
		r, err := capture.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer r.Close()
		benchStore = session.NewStore()
		for batch := range pipeline.Stream(context.Background(), r, 1) {
			batch.Apply(benchStore)
		}
	})
	m := New("bench.pcap", nil, 1, analysis.Options{})
	m.cv.store = benchStore
	m.cv.status.done = true
	tm, _ := m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	m = tm.(Model)
	m.cv.list.Refresh(m.cv.store)
	b.ReportMetric(float64(m.cv.store.Len()), "msgs")
	return m
}

// answer presses k and draws the next frame, as the program would.
func answer(m Model, k tea.Msg) Model {
	tm, _ := m.Update(k)
	m = tm.(Model)
	_ = m.View()
	return m
}

func BenchmarkListDown(b *testing.B) {
	m := benchModel(b)
	for b.Loop() {
		m = answer(m, press("down"))
	}
}

func BenchmarkListPageDown(b *testing.B) {
	m := benchModel(b)
	pg := tea.KeyPressMsg{Code: tea.KeyPgDown}
	for b.Loop() {
		m = answer(m, pg)
	}
}

// BenchmarkListSort re-sorts the whole list (the > key) each time.
func BenchmarkListSort(b *testing.B) {
	m := benchModel(b)
	for b.Loop() {
		m = answer(m, press(">"))
	}
}

// BenchmarkFilterKeystroke types one more letter of a filter: the first
// slice of the scan runs with the key, the rest in the background.
func BenchmarkFilterKeystroke(b *testing.B) {
	m := benchModel(b)
	m = answer(m, press("/"))
	for i := 0; b.Loop(); i++ {
		m.cv.list.SetFilter(m.cv.store, "")
		m = answer(m, press(string(rune('a'+i%26))))
	}
}

// BenchmarkLadderDown steps through the biggest call's ladder.
func BenchmarkLadderDown(b *testing.B) {
	m := benchModel(b)
	big := 0
	for i, c := range m.cv.store.Calls() {
		if len(c.Msgs) > len(m.cv.store.Calls()[big].Msgs) {
			big = i
		}
	}
	m.openFlow([]*session.Call{m.cv.store.Calls()[big]})
	for b.Loop() {
		m = answer(m, press("down"))
	}
}
