package tui

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image/color"
	"io"
	"strings"
	"sync/atomic"
	"testing"
)

func TestGallery_DrawsPicturesInHalfBlocksAndOtherFilesByKind(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	red, blue := color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}
	f.Upload(t, ada, room, "art/flag.png", pngBytes(t, 8, 8, red, blue))
	f.Upload(t, ada, room, "brief.pdf", []byte("%PDF-1.4"))
	f.Upload(t, ada, room, "sources.zip", []byte("PK\x03\x04"))

	tm := f.openFilesOf(t, ada, room, 100, 40)
	tm.waitText("flag.png")
	tm.press("g")
	tm.waitText("art/", "PDF", "ZIP archive", "brief.pdf", "sources.zip", "▀")

	// The upper pixel is the foreground, the lower the background: the
	// flag's red-over-blue edge is a cell red on blue, never blue on red.
	var redOnBlue, blueOnRed bool
	for y := range 40 {
		for x := range 100 {
			c := tm.emu.CellAt(x, y)
			if c == nil || c.Content != "▀" || c.Style.Fg == nil || c.Style.Bg == nil {
				continue
			}
			fg, bg := rgbOf(c.Style.Fg), rgbOf(c.Style.Bg)
			redOnBlue = redOnBlue || fg == [3]uint8{255, 0, 0} && bg == [3]uint8{0, 0, 255}
			blueOnRed = blueOnRed || fg == [3]uint8{0, 0, 255} && bg == [3]uint8{255, 0, 0}
		}
	}
	if !redOnBlue || blueOnRed {
		t.Fatalf("red over blue drawn wrong (red on blue %v, blue on red %v):\n%s", redOnBlue, blueOnRed, tm.screen())
	}
}

func rgbOf(c color.Color) [3]uint8 {
	r, g, b, _ := c.RGBA()
	return [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)}
}

func TestGallery_EnterShowsTheSelectedFilesVersionsInTheList(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	f.Upload(t, ada, room, "a.txt", []byte("a"))
	f.Upload(t, ada, room, "b.txt", []byte("b1"))
	f.Upload(t, ada, room, "b.txt", []byte("b2"))

	tm := f.openFilesOf(t, ada, room, 100, 40)
	tm.press("g")
	tm.waitText("text", "b.txt")
	tm.press("l") // the second card
	tm.waitText("/b.txt .")
	tm.press(keyEnter)
	tm.waitText("v1-b.txt", "v2-b.txt", "g gallery")
}

// pngHeader is the start of a PNG that declares w×h pixels: enough for
// its header to be read, nothing to decode.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk := append([]byte("IHDR"), ihdr...)
	_ = binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	b.Write(chunk)
	_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func TestThumbnail_RefusesPicturesOverThePixelBudgetBeforeDecoding(t *testing.T) {
	huge := pngHeader(20000, 20000)
	_, err := renderThumb(bytes.NewReader(huge), int64(len(huge)), thumbCols, thumbRows)
	if !errors.Is(err, errThumbTooMany) {
		t.Fatalf("a 20000×20000 picture: err = %v, want %v", err, errThumbTooMany)
	}
	_, err = renderThumb(bytes.NewReader(huge), maxThumbBytes+1, thumbCols, thumbRows)
	if !errors.Is(err, errThumbTooBig) {
		t.Fatalf("a picture over %d bytes: err = %v, want %v", maxThumbBytes, err, errThumbTooBig)
	}
}

func TestThumbnail_IsDrawnOncePerBlobAndSize(t *testing.T) {
	img := pngBytes(t, 4, 4, color.White, color.Black)
	var opens atomic.Int32
	open := func(context.Context) (io.ReaderAt, int64, io.Closer, error) {
		opens.Add(1)
		return bytes.NewReader(img), int64(len(img)), io.NopCloser(nil), nil
	}
	k := thumbKey{sum: t.Name(), cols: thumbCols, rows: thumbRows}
	first := drawThumb(context.Background(), k, int64(len(img)), open)
	second := drawThumb(context.Background(), k, int64(len(img)), open)
	if first.art == "" || second.art != first.art || opens.Load() != 1 {
		t.Fatalf("drawn %d times (want once); art %q then %q", opens.Load(), first.art, second.art)
	}
	other := thumbKey{sum: t.Name(), cols: 8, rows: 2}
	if th := drawThumb(context.Background(), other, int64(len(img)), open); opens.Load() != 2 || strings.Count(th.art, "\n") != 1 {
		t.Fatalf("another size: opened %d times, drawn in %d rows; want 2 and 2", opens.Load(), strings.Count(th.art, "\n")+1)
	}
}
