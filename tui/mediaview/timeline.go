package mediaview

import (
	"math"
	"strings"
	"time"

	"github.com/sipdbg/sipdbg/media"
)

// A timeline is one stream's seconds (media.Summary.Seconds) drawn as a
// sparkline on an axis the call's streams share, so that a late or a
// short stream shows where it was: a column a slice of the axis, its
// height the packets (or the worst jitter) of the seconds it covers,
// a loss mark where a packet of them was lost.

// bars are the sparkline's levels, lowest first.
var bars = []rune("▁▂▃▄▅▆▇█")

// Marks of a timeline that are not levels.
const (
	lossMark = '×' // a packet lost in the column's seconds
	gapMark  = '·' // within the stream, no packet at all
)

// axis is the time the call's streams span.
type axis struct {
	start time.Time
	span  time.Duration // at least a second
}

func axisOf(sums []media.Summary) axis {
	var a axis
	var end time.Time
	for i, sm := range sums {
		if i == 0 || sm.First.Before(a.start) {
			a.start = sm.First
		}
		if last := sm.First.Add(time.Duration(len(sm.Seconds)) * time.Second); last.After(end) {
			end = last
		}
	}
	a.span = max(time.Second, end.Sub(a.start))
	return a
}

// cell is what one column of a timeline covers of a stream.
type cell struct {
	in      bool    // the column covers some of the stream's seconds
	packets float64 // mean packets per second over them
	jitter  float64 // the worst jitter among them, ms
	lost    bool
}

// cells downsamples sm's seconds to cols columns of the axis a.
func cells(sm media.Summary, a axis, cols int) []cell {
	out := make([]cell, cols)
	off := sm.First.Sub(a.start).Seconds()
	for c := range out {
		from := float64(c)*a.span.Seconds()/float64(cols) - off
		to := float64(c+1)*a.span.Seconds()/float64(cols) - off
		lo, hi := max(0, int(math.Floor(from))), min(len(sm.Seconds), int(math.Ceil(to)))
		if lo >= hi {
			continue
		}
		e := &out[c]
		e.in = true
		for k, s := range sm.Seconds[lo:hi] {
			e.packets += float64(s.Packets)
			e.jitter = max(e.jitter, float64(s.MaxJitter))
			// A second's loss is marked once, in the column where the
			// second starts: stretched over a wide screen, a second
			// spans columns, which keep its bar.
			if start := float64(lo + k); s.Lost > 0 && start >= from && start < to {
				e.lost = true
			}
		}
		e.packets /= float64(hi - lo)
	}
	return out
}

// value is what a column shows: packets, or jitter.
func (e cell) value(jitter bool) float64 {
	if jitter {
		return e.jitter
	}
	return e.packets
}

// scaleOf is the value the top bar stands for: the largest over the
// call's streams, so that their timelines compare.
func scaleOf(sums []media.Summary, jitter bool) float64 {
	top := 0.0
	for _, sm := range sums {
		for _, s := range sm.Seconds {
			if jitter {
				top = max(top, float64(s.MaxJitter))
			} else {
				top = max(top, float64(s.Packets))
			}
		}
	}
	return max(top, 1) // a packet a second, a millisecond: below, the line is flat
}

// sparkline draws cells as runes; the loss marks are listed apart so
// that a caller can style them.
func sparkline(cs []cell, scale float64, jitter bool) (line []rune, lost []bool) {
	line, lost = make([]rune, len(cs)), make([]bool, len(cs))
	for i, e := range cs {
		v := e.value(jitter)
		switch {
		case !e.in:
			line[i] = ' '
		case e.lost:
			line[i], lost[i] = lossMark, true
		case e.packets <= 0:
			line[i] = gapMark
		default:
			lvl := int(math.Round(v / scale * float64(len(bars)-1)))
			line[i] = bars[min(max(lvl, 0), len(bars)-1)]
		}
	}
	return line, lost
}

// axisLine labels the axis under timelines of width cols starting at
// column left: the start time at the left, the span at the right.
func axisLine(a axis, left, cols int) string {
	l := clock(a.start)
	r := "+" + Seconds(a.span)
	if len(l)+len(r)+1 > cols {
		return strings.Repeat(" ", left) + r
	}
	return strings.Repeat(" ", left) + l + strings.Repeat(" ", cols-len(l)-len(r)) + r
}
