// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// A line plot drawn with the standard library and a bitmap font, so that the benchmark needs no
// plotting tool on the machine.

const (
	plotW, plotH = 900, 560
	marginL      = 80
	marginR      = 250
	marginT      = 50
	marginB      = 70
)

type series struct {
	label  string
	col    color.RGBA
	dashed bool
	pts    [][2]float64 // N, seconds
}

// writePlot draws the no-change plan time against N, for each kind at each latency.
func writePlot(path string, r *results) error {
	var all []series
	palette := []color.RGBA{{0x1f, 0x77, 0xb4, 0xff}, {0xd6, 0x27, 0x28, 0xff}, {0x2c, 0xa0, 0x2c, 0xff}, {0x94, 0x67, 0xbd, 0xff}}
	lats := []string{}
	for _, c := range r.Cells {
		if c.Others == 0 && !slices.Contains(lats, c.Latency) {
			lats = append(lats, c.Latency)
		}
	}
	for i, lat := range lats {
		for _, kind := range []string{kindFlow, kindNoop, kindData} {
			// One colour per latency: appmixer_flow solid, the no-op baseline solid and paler, terraform_data dashed.
			col := palette[i%len(palette)]
			if kind == kindNoop {
				col = color.RGBA{uint8((int(col.R) + 255) / 2), uint8((int(col.G) + 255) / 2), uint8((int(col.B) + 255) / 2), 0xff}
			}
			s := series{label: fmt.Sprintf("%s, latency %s", kind, lat), col: col, dashed: kind == kindData}
			for _, c := range r.Cells {
				if c.Latency == lat && c.Kind == kind && c.Op == "plan" && c.Others == 0 {
					s.pts = append(s.pts, [2]float64{float64(c.N), c.median().Seconds})
				}
			}
			if len(s.pts) > 0 {
				all = append(all, s)
			}
		}
	}
	img := image.NewRGBA(image.Rect(0, 0, plotW, plotH))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	maxX, maxY := 1.0, 0.1
	for _, s := range all {
		for _, p := range s.pts {
			maxX, maxY = math.Max(maxX, p[0]), math.Max(maxY, p[1])
		}
	}
	maxY = niceCeil(maxY)
	x0, y0, x1, y1 := marginL, plotH-marginB, plotW-marginR, marginT
	px := func(v float64) int { return x0 + int(v/maxX*float64(x1-x0)) }
	py := func(v float64) int { return y0 - int(v/maxY*float64(y0-y1)) }
	grey, black := color.RGBA{0xdd, 0xdd, 0xdd, 0xff}, color.RGBA{0, 0, 0, 0xff}
	for i := 0; i <= 5; i++ {
		v := maxY * float64(i) / 5
		line(img, x0, py(v), x1, py(v), grey, false)
		label(img, x0-8-7*len(fmt.Sprintf("%.1f", v)), py(v)+4, fmt.Sprintf("%.1f", v))
	}
	for _, n := range xTicks(all) {
		line(img, px(n), y0, px(n), y0+5, black, false)
		s := fmt.Sprintf("%.0f", n)
		label(img, px(n)-7*len(s)/2, y0+20, s)
	}
	line(img, x0, y0, x1, y0, black, false)
	line(img, x0, y0, x0, y1, black, false)
	label(img, x0, 30, "No-change terraform plan: wall time (s) against N resources (median runs)")
	label(img, (x0+x1)/2-50, plotH-25, "N (resources)")
	for i, s := range all {
		for j := 1; j < len(s.pts); j++ {
			a, b := s.pts[j-1], s.pts[j]
			thick(img, px(a[0]), py(a[1]), px(b[0]), py(b[1]), s.col, s.dashed)
		}
		for _, p := range s.pts {
			square(img, px(p[0]), py(p[1]), s.col)
		}
		ly := marginT + 20 + 22*i
		thick(img, x1+15, ly-4, x1+45, ly-4, s.col, s.dashed)
		label(img, x1+52, ly, s.label)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// niceCeil rounds up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func xTicks(all []series) []float64 {
	var out []float64
	for _, s := range all {
		for _, p := range s.pts {
			if !slices.Contains(out, p[0]) {
				out = append(out, p[0])
			}
		}
	}
	return out
}

func label(img *image.RGBA, x, y int, s string) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// line draws with Bresenham's algorithm; dashed skips every other run of 6 pixels.
func line(img *image.RGBA, xa, ya, xb, yb int, c color.RGBA, dashed bool) {
	dx, dy := abs(xb-xa), -abs(yb-ya)
	sx, sy := sign(xb-xa), sign(yb-ya)
	e := dx + dy
	for n := 0; ; n++ {
		if !dashed || (n/6)%2 == 0 {
			img.SetRGBA(xa, ya, c)
		}
		if xa == xb && ya == yb {
			return
		}
		e2 := 2 * e
		if e2 >= dy {
			e += dy
			xa += sx
		}
		if e2 <= dx {
			e += dx
			ya += sy
		}
	}
}

func thick(img *image.RGBA, xa, ya, xb, yb int, c color.RGBA, dashed bool) {
	for d := -1; d <= 1; d++ {
		line(img, xa, ya+d, xb, yb+d, c, dashed)
	}
}

func square(img *image.RGBA, x, y int, c color.RGBA) {
	draw.Draw(img, image.Rect(x-4, y-4, x+5, y+5), image.NewUniform(c), image.Point{}, draw.Src)
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func sign(v int) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}
