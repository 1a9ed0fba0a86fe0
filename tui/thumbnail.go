package tui

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // the gallery draws GIF, JPEG and PNG, and nothing else
	_ "image/jpeg"
	_ "image/png"
	"io"
	"strings"
	"sync"

	"charm.land/lipgloss/v2"
)

// Thumbnails are drawn with half blocks: each cell is "▀" with the upper
// pixel as its foreground and the lower one as its background, so a cell
// holds two roughly square pixels. Colours are full RGB; the screen
// (screen.go) brings them down to the session's colour profile (256 colours for most
// SSH clients), as it does every other colour.
//
// Decoding runs in a command, never in Update, and is bounded three ways:
// only versions up to maxThumbBytes are read, an image whose header
// declares more than maxThumbPixels is not decoded at all, and at most
// thumbWorkers decode at once in the whole server. What was drawn is kept
// per blob and size (thumbs), shared by every session: the same bytes
// draw the same way for everyone.
const (
	thumbCols      = 16        // cells across
	thumbRows      = 5         // cells down: ten pixel rows
	maxThumbBytes  = 8 << 20   // the most of a version read to draw it
	maxThumbPixels = 6_000_000 // width×height; decoding takes ~4 bytes a pixel
	thumbWorkers   = 2         // decodes at once, server-wide
	thumbCacheSize = 512       // thumbnails kept (a few KB each)
)

// Why a picture is not drawn; the card says so instead.
var (
	errThumbTooBig    = errors.New("too large to preview")
	errThumbTooMany   = errors.New("too many pixels to preview")
	errThumbUndecoded = errors.New("cannot be previewed")
)

// thumbKey names a thumbnail: the version's bytes and the cells it fills.
type thumbKey struct {
	sum        string
	cols, rows int
}

// thumb is a drawn thumbnail, or why there is none.
type thumb struct {
	art  string // rows of half blocks, each at most cols wide
	note string // set when there is no art
}

// thumbs is the server-wide cache of drawn thumbnails.
var thumbs = newThumbCache(thumbCacheSize)

// decodeSlots bounds the decodes running at once.
var decodeSlots = make(chan struct{}, thumbWorkers)

// thumbCache is a small LRU of drawn thumbnails.
type thumbCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // front: most recently used; values are *thumbEntry
	items map[thumbKey]*list.Element
}

type thumbEntry struct {
	key thumbKey
	th  thumb
}

func newThumbCache(n int) *thumbCache {
	return &thumbCache{max: n, order: list.New(), items: map[thumbKey]*list.Element{}}
}

func (c *thumbCache) get(k thumbKey) (thumb, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[k]
	if !ok {
		return thumb{}, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*thumbEntry).th, true
}

func (c *thumbCache) put(k thumbKey, th thumb) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		e.Value.(*thumbEntry).th = th
		c.order.MoveToFront(e)
		return
	}
	c.items[k] = c.order.PushFront(&thumbEntry{key: k, th: th})
	for c.order.Len() > c.max {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.items, old.Value.(*thumbEntry).key)
	}
}

// blobOpener opens a version's bytes (the service's OpenVersion, bound to
// a room, a path and a version).
type blobOpener func(ctx context.Context) (io.ReaderAt, int64, io.Closer, error)

// drawThumb returns the thumbnail of a version, drawing it if no session
// has yet. It blocks while thumbWorkers others decode: call it from a
// command.
func drawThumb(ctx context.Context, k thumbKey, size int64, open blobOpener) thumb {
	if th, ok := thumbs.get(k); ok {
		return th
	}
	if size > maxThumbBytes {
		th := thumb{note: errThumbTooBig.Error()}
		thumbs.put(k, th)
		return th
	}
	select {
	case decodeSlots <- struct{}{}:
		defer func() { <-decodeSlots }()
	case <-ctx.Done():
		return thumb{note: "not drawn"}
	}
	if th, ok := thumbs.get(k); ok { // drawn while this one waited
		return th
	}
	th := thumb{}
	r, n, c, err := open(ctx)
	if err == nil {
		th.art, err = renderThumb(r, min(n, maxThumbBytes), k.cols, k.rows)
		c.Close()
	}
	if err != nil {
		th = thumb{note: thumbNote(err)}
		if ctx.Err() != nil {
			return th // not the picture's fault: try again next time
		}
	}
	thumbs.put(k, th)
	return th
}

func thumbNote(err error) string {
	switch {
	case errors.Is(err, errThumbTooBig), errors.Is(err, errThumbTooMany):
		return err.Error()
	}
	return errThumbUndecoded.Error()
}

// renderThumb decodes the first size bytes of r as a PNG, JPEG or GIF
// (its first frame) and draws it in at most cols×rows cells. The header
// is read first: a picture over maxThumbPixels is refused before any of
// it is decoded.
func renderThumb(r io.ReaderAt, size int64, cols, rows int) (string, error) {
	if size > maxThumbBytes {
		return "", errThumbTooBig
	}
	cfg, _, err := image.DecodeConfig(io.NewSectionReader(r, 0, size))
	if err != nil {
		return "", fmt.Errorf("%w: %w", errThumbUndecoded, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return "", errThumbUndecoded
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxThumbPixels {
		return "", errThumbTooMany
	}
	img, _, err := image.Decode(io.NewSectionReader(r, 0, size))
	if err != nil {
		return "", fmt.Errorf("%w: %w", errThumbUndecoded, err)
	}
	return halfBlocks(img, cols, rows), nil
}

// halfBlocks scales img to fit cols×2·rows pixels, keeping its shape, and
// draws it two pixels a cell.
func halfBlocks(img image.Image, cols, rows int) string {
	w, h, px := scaleDown(img, cols, rows*2)
	var b strings.Builder
	for y := 0; y < h; y += 2 {
		if y > 0 {
			b.WriteByte('\n')
		}
		for x := 0; x < w; x++ {
			st := lipgloss.NewStyle().Foreground(px[y*w+x])
			if y+1 < h {
				st = st.Background(px[(y+1)*w+x])
			}
			b.WriteString(st.Render("▀"))
		}
	}
	return b.String()
}

// boxSamples is how many points across and down one target pixel's box
// of source pixels is sampled at: enough to average, and a fixed cost per
// target pixel however large the source.
const boxSamples = 4

// scaleDown resizes img into at most maxW×maxH pixels, keeping its aspect
// ratio, with a box filter: each target pixel is the mean of samples
// spread over the source pixels it covers. Small pictures are enlarged
// (a sample then lands on one source pixel, so edges stay sharp).
func scaleDown(img image.Image, maxW, maxH int) (w, h int, px []color.Color) {
	b := img.Bounds()
	sw, sh := float64(b.Dx()), float64(b.Dy())
	scale := min(float64(maxW)/sw, float64(maxH)/sh)
	w = min(max(int(sw*scale+0.5), 1), maxW)
	h = min(max(int(sh*scale+0.5), 1), maxH)
	px = make([]color.Color, 0, w*h)
	for y := range h {
		y0, y1 := float64(y)*sh/float64(h), float64(y+1)*sh/float64(h)
		for x := range w {
			x0, x1 := float64(x)*sw/float64(w), float64(x+1)*sw/float64(w)
			px = append(px, boxMean(img, b.Min, x0, x1, y0, y1))
		}
	}
	return w, h, px
}

// boxMean averages img over the box [x0,x1)×[y0,y1) of source
// coordinates (relative to min), over black where it is transparent.
func boxMean(img image.Image, origin image.Point, x0, x1, y0, y1 float64) color.Color {
	nx, ny := samplesIn(x1-x0), samplesIn(y1-y0)
	var r, g, bl uint64
	for j := range ny {
		sy := origin.Y + int(y0+(float64(j)+0.5)*(y1-y0)/float64(ny))
		for i := range nx {
			sx := origin.X + int(x0+(float64(i)+0.5)*(x1-x0)/float64(nx))
			cr, cg, cb, _ := img.At(sx, sy).RGBA() // premultiplied: over black
			r, g, bl = r+uint64(cr), g+uint64(cg), bl+uint64(cb)
		}
	}
	n := uint64(nx * ny)
	return color.RGBA{R: uint8(r / n >> 8), G: uint8(g / n >> 8), B: uint8(bl / n >> 8), A: 0xff}
}

func samplesIn(span float64) int { return min(max(int(span+0.5), 1), boxSamples) }
