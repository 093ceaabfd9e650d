package main

import (
	"errors"
	"image"
	"image/gif"
	"time"
)

// Frame is a distinct screen and how long it stays up.
type Frame struct {
	Screen *Screen
	Hold   time.Duration
}

// minDelay is the shortest GIF frame delay honoured as written: browsers
// play 0 and 1 hundredths as 10, so faster frames would slow down.
const minDelay = 2

// BuildGIF assembles a looping animation. The first frame is the whole
// image; each later one only the rectangle of cells that changed, left in
// place over the previous one (disposal "none"). Terminal UIs change a
// few lines at a time, so this is most of the size saving.
func BuildGIF(r *Renderer, frames []Frame) (*gif.GIF, error) {
	if len(frames) == 0 {
		return nil, errors.New("no frames to write")
	}
	delays := centiseconds(frames)
	g := &gif.GIF{}
	var prev *Screen
	for i, f := range frames {
		full := r.Render(f.Screen)
		img := full
		if prev != nil {
			rect := r.ChangedRect(prev, f.Screen)
			if rect.Empty() {
				// Different capture text, same picture (the escape codes
				// were written in another order): one longer frame.
				g.Delay[len(g.Delay)-1] += delays[i]
				continue
			}
			img = full.SubImage(rect).(*image.Paletted)
		}
		g.Image = append(g.Image, img)
		g.Delay = append(g.Delay, delays[i])
		g.Disposal = append(g.Disposal, gif.DisposalNone)
		prev = f.Screen
	}
	w, h := r.Size()
	g.Config.Width, g.Config.Height = w, h
	g.Config.ColorModel = g.Image[0].Palette
	for i := range g.Delay {
		g.Delay[i] = max(g.Delay[i], minDelay)
	}
	return g, nil
}

// centiseconds converts holds to GIF delays, rounding the running total
// rather than each frame so the animation does not drift from the
// recording over hundreds of frames.
func centiseconds(frames []Frame) []int {
	out := make([]int, len(frames))
	var total time.Duration
	prev := 0
	for i, f := range frames {
		total += f.Hold
		cs := int((total + 5*time.Millisecond) / (10 * time.Millisecond))
		out[i] = cs - prev
		prev = cs
	}
	return out
}
