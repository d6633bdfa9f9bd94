package manifest

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"testing"

	"github.com/plume-admin/plume/addin/web"
)

func decodePNG(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestIconSizesAndColours(t *testing.T) {
	for _, size := range IconSizes {
		b, err := Icon(size)
		if err != nil {
			t.Fatal(err)
		}
		img := decodePNG(t, b)
		if r := img.Bounds(); r.Dx() != size || r.Dy() != size {
			t.Fatalf("icon %d is %v", size, r)
		}
		// Rounded corners are transparent; the edge's middle is bleu France.
		if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
			t.Errorf("icon %d: corner not transparent", size)
		}
		if c := color.NRGBAModel.Convert(img.At(size/2, size-1)).(color.NRGBA); c != bleuFrance {
			t.Errorf("icon %d: bottom edge is %v, want %v", size, c, bleuFrance)
		}
		// The feather is drawn: there is white in the middle of the icon.
		white := 0
		for y := size / 4; y < 3*size/4; y++ {
			for x := size / 4; x < 3*size/4; x++ {
				if c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA); c.R > 0xf0 && c.G > 0xf0 && c.B > 0xf0 {
					white++
				}
			}
		}
		if white < size*size/50 {
			t.Errorf("icon %d: only %d white pixels in the centre", size, white)
		}
	}
	img := decodePNG(t, must(OutlineIcon()))
	if r := img.Bounds(); r.Dx() != 32 || r.Dy() != 32 {
		t.Fatalf("outline is %v", r)
	}
	for y := 0; y < 32; y++ {
		for x := 0; x < 32; x++ {
			if c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA); c.A > 0 && (c.R != 0xff || c.G != 0xff || c.B != 0xff) {
				t.Fatalf("outline pixel %d,%d is %v, want white or transparent", x, y, c)
			}
		}
	}
}

// TestCommittedIconsAreGenerated: addin/web/static/icons holds what
// `go generate ./manifest` writes (pixels compared with a small tolerance,
// in case floating point differs on another architecture).
func TestCommittedIconsAreGenerated(t *testing.T) {
	want := map[string][]byte{OutlineName: must(OutlineIcon())}
	for _, s := range IconSizes {
		want[IconName(s)] = must(Icon(s))
	}
	for name, gen := range want {
		got, err := fs.ReadFile(web.FS, "icons/"+name)
		if err != nil {
			t.Errorf("%s: %v (run go generate ./manifest)", name, err)
			continue
		}
		a, b := decodePNG(t, got), decodePNG(t, gen)
		if a.Bounds() != b.Bounds() {
			t.Errorf("%s: committed %v, generated %v (run go generate ./manifest)", name, a.Bounds(), b.Bounds())
			continue
		}
		for y := 0; y < a.Bounds().Dy(); y++ {
			for x := 0; x < a.Bounds().Dx(); x++ {
				if !near(color.NRGBAModel.Convert(a.At(x, y)).(color.NRGBA), color.NRGBAModel.Convert(b.At(x, y)).(color.NRGBA)) {
					t.Fatalf("%s: pixel %d,%d differs (run go generate ./manifest)", name, x, y)
				}
			}
		}
	}
}

func near(a, b color.NRGBA) bool {
	d := func(x, y uint8) bool { return x-y <= 2 || y-x <= 2 }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && d(a.A, b.A)
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
