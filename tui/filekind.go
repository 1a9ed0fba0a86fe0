package tui

import (
	"path"
	"strings"
)

// fileKinds name what a file is by its extension, for the gallery's cards
// of files it does not draw. Every file has an extension (the file rules
// require one); an extension not listed shows as itself ("DWG file").
var fileKinds = map[string]string{
	".pdf":    "PDF",
	".zip":    "ZIP archive",
	".7z":     "7-Zip archive",
	".gz":     "gzip archive",
	".tgz":    "tar archive",
	".tar":    "tar archive",
	".rar":    "RAR archive",
	".txt":    "text",
	".md":     "Markdown",
	".csv":    "CSV table",
	".json":   "JSON",
	".xml":    "XML",
	".html":   "web page",
	".doc":    "Word document",
	".docx":   "Word document",
	".odt":    "document",
	".rtf":    "document",
	".xls":    "spreadsheet",
	".xlsx":   "spreadsheet",
	".ods":    "spreadsheet",
	".ppt":    "slides",
	".pptx":   "slides",
	".odp":    "slides",
	".png":    "PNG image",
	".jpg":    "JPEG image",
	".jpeg":   "JPEG image",
	".gif":    "GIF image",
	".svg":    "SVG image",
	".webp":   "WebP image",
	".psd":    "Photoshop",
	".ai":     "Illustrator",
	".fig":    "Figma",
	".sketch": "Sketch",
	".mp3":    "audio",
	".wav":    "audio",
	".mp4":    "video",
	".mov":    "video",
	".webm":   "video",
	".ttf":    "font",
	".otf":    "font",
	".woff":   "font",
}

// fileKind says what a file is, by its name.
func fileKind(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if k, ok := fileKinds[ext]; ok {
		return k
	}
	if ext == "" {
		return "file"
	}
	return strings.ToUpper(strings.TrimPrefix(ext, ".")) + " file"
}

// drawable reports whether the gallery draws the file as a thumbnail: the
// formats the standard library decodes.
func drawable(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".png", ".jpg", ".jpeg", ".gif":
		return true
	}
	return false
}
