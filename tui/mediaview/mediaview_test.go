package mediaview

import (
	"strings"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/media"
)

var t0 = time.Date(2026, 12, 7, 3, 45, 0, 0, time.UTC)

func secs(pkts ...uint32) []media.Second {
	out := make([]media.Second, len(pkts))
	for i, p := range pkts {
		out[i].Packets = p
	}
	return out
}

// A timeline downsamples seconds to columns, stretches them over a wide
// screen (a second's loss marked once, where it starts), marks seconds
// without a packet, and leaves blank what is outside the stream.
func TestSparkline(t *testing.T) {
	lossy := secs(50, 50, 50, 50)
	lossy[1].Lost = 2
	for _, c := range []struct {
		name  string
		sums  []media.Summary
		cols  int
		want  []string
		scale float64
	}{
		{"one column a second", []media.Summary{{First: t0, Seconds: secs(50, 25, 0, 50)}}, 4, []string{"█▅·█"}, 50},
		{"stretched, loss once", []media.Summary{{First: t0, Seconds: lossy}}, 8, []string{"██×█████"}, 50},
		{"downsampled: the mean, any loss", []media.Summary{{First: t0, Seconds: lossy}}, 2, []string{"×█"}, 50},
		{"a late stream on the shared axis", []media.Summary{
			{First: t0, Seconds: secs(50, 50, 50, 50)},
			{First: t0.Add(2 * time.Second), Seconds: secs(50, 50)},
		}, 4, []string{"████", "  ██"}, 50},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := axisOf(c.sums)
			if s := scaleOf(c.sums, false); s != c.scale {
				t.Errorf("scale %v, want %v", s, c.scale)
			}
			for i, sm := range c.sums {
				line, _ := sparkline(cells(sm, a, c.cols), c.scale, false)
				if string(line) != c.want[i] {
					t.Errorf("stream %d: %q, want %q", i, string(line), c.want[i])
				}
			}
		})
	}
}

// Jitter draws the worst jitter of the seconds a column covers.
func TestSparklineJitter(t *testing.T) {
	s := secs(50, 50)
	s[0].MaxJitter, s[1].MaxJitter = 2, 8
	sums := []media.Summary{{First: t0, Seconds: s}}
	if got := scaleOf(sums, true); got != 8 {
		t.Fatalf("scale %v", got)
	}
	line, _ := sparkline(cells(sums[0], axisOf(sums), 2), 8, true)
	if string(line) != "▃█" {
		t.Errorf("%q", string(line))
	}
}

// The table drops its columns by priority to fit, never cuts one.
func TestColumnsByPriority(t *testing.T) {
	row := []string{"1", "127.0.0.10:16074 → 127.0.0.20:16186", "PCMU", "250", "0.0%", "1.1/1.4", "23 ms", "4.41"}
	for _, c := range []struct {
		width int
		want  string
	}{
		{160, "# Direction Codec Pkts Lost Jitter ms Max Δ MOS"},
		{80, "# Direction Codec Pkts Lost Jitter ms MOS"},
		{60, "# Direction Pkts Lost MOS"},
		{40, "# Direction"},
	} {
		cols, ws := shown([][]string{row}, c.width)
		var names []string
		total := 1 - len(gap)
		for i, j := range cols {
			names = append(names, tcols[j].title)
			total += ws[i] + len(gap)
		}
		if got := strings.Join(names, " "); got != c.want {
			t.Errorf("%d: %s, want %s", c.width, got, c.want)
		}
		if total > c.width && len(cols) > 2 {
			t.Errorf("%d: %d cells", c.width, total)
		}
	}
}

func TestCodecName(t *testing.T) {
	for in, want := range map[string]string{"PCMU/8000": "PCMU", "opus/48000/2": "opus", "PT 101": "PT 101", "": "?"} {
		if got := CodecName(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
