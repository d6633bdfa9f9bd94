package manifest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
)

//go:generate go run ./internal/genicons -o ../addin/web/static/icons

// IconSizes are the square icon sizes, in pixels, that the manifests
// reference: Outlook uses 16, 32, 64, 80 and 128; Microsoft 365 also 20,
// 24, 40, 48 and the 192 colour icon; Thunderbird 16 to 128.
var IconSizes = []int{16, 20, 24, 32, 40, 48, 64, 80, 96, 128, 192}

// OutlineName is the Microsoft 365 outline icon: a white feather on a
// transparent 32×32 background.
const OutlineName = "outline-32.png"

// bleuFrance is the icon background, the French State's blue #000091.
var bleuFrance = color.NRGBA{0x00, 0x00, 0x91, 0xff}

// IconName is the file name of the icon of that size, e.g. "icon-32.png".
func IconName(size int) string { return fmt.Sprintf("icon-%d.png", size) }

// Icon draws Plume's icon, a white feather (une plume) on a bleu France
// rounded square, size×size pixels, as PNG. The drawing is deterministic.
func Icon(size int) ([]byte, error) { return encodePNG(drawIcon(size, false)) }

// OutlineIcon draws the 32×32 white-on-transparent feather.
func OutlineIcon() ([]byte, error) { return encodePNG(drawIcon(32, true)) }

func encodePNG(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("manifest: icon: %w", err)
	}
	return b.Bytes(), nil
}

// drawIcon samples the shapes 4×4 times per pixel for antialiasing.
func drawIcon(size int, outline bool) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	const ss = 4
	detail := size >= 32 // the inner shaft line only shows from 32 px up
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var bg, fe int
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/ss) / float64(size)
					y := (float64(py) + (float64(sy)+0.5)/ss) / float64(size)
					if inRoundedSquare(x, y, 0.2) {
						bg++
					}
					if inFeather(x, y, detail) {
						fe++
					}
				}
			}
			n := ss * ss
			if outline {
				img.SetNRGBA(px, py, color.NRGBA{0xff, 0xff, 0xff, uint8(fe * 255 / n)})
				continue
			}
			if fe > bg {
				fe = bg
			}
			if bg == 0 {
				continue
			}
			// White feather over blue, alpha from the square's coverage.
			mix := func(blue uint8) uint8 {
				return uint8((fe*255 + (bg-fe)*int(blue)) / bg)
			}
			img.SetNRGBA(px, py, color.NRGBA{mix(bleuFrance.R), mix(bleuFrance.G), mix(bleuFrance.B), uint8(bg * 255 / n)})
		}
	}
	return img
}

// inRoundedSquare reports whether (x, y) in the unit square lies inside the
// square with corners rounded by radius r.
func inRoundedSquare(x, y, r float64) bool {
	cx := math.Max(r, math.Min(1-r, x))
	cy := math.Max(r, math.Min(1-r, y))
	dx, dy := x-cx, y-cy
	return dx*dx+dy*dy <= r*r
}

// The feather lies along the diagonal from its quill at the bottom left to
// its tip at the top right.
var (
	quillX, quillY = 0.20, 0.84
	tipX, tipY     = 0.82, 0.16
)

// inFeather reports whether (x, y) is on the white part of the feather.
func inFeather(x, y float64, detail bool) bool {
	ax, ay := tipX-quillX, tipY-quillY
	l := math.Hypot(ax, ay)
	ax, ay = ax/l, ay/l
	dx, dy := x-quillX, y-quillY
	u := float64(dx*ax+dy*ay) / l // 0 at the quill, 1 at the tip
	v := float64(dx*ay - dy*ax)   // signed distance from the shaft
	if u < 0 || u > 1 {
		return false
	}
	// The bare quill, tapering towards its end.
	const vaneStart = 0.24
	if u < vaneStart {
		return math.Abs(v) < 0.012+0.012*u/vaneStart
	}
	s := (u - vaneStart) / (1 - vaneStart)
	w := 0.17 * math.Pow(math.Sin(math.Pi*math.Pow(s, 0.85)), 0.75)
	if v > 0 {
		w *= 0.72 // the narrower side of the vane
	}
	if math.Abs(v) > w {
		return false
	}
	// Two slanted notches in the narrow side, as on a real feather.
	if v > 0 {
		for _, c := range []float64{0.42, 0.66} {
			if d := u - c - 0.9*v; d > -0.018 && d < 0.018 {
				return false
			}
		}
	}
	// The shaft inside the vane shows in blue.
	if detail && u < 0.9 && math.Abs(v) < 0.008 {
		return false
	}
	return true
}
