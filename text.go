package workroom

import (
	"unicode"
	"unicode/utf8"
)

// What people read must be what was written. Some characters draw nothing
// at all — zero-width spaces and joiners, bidi controls, tag characters,
// the braille blank, Hangul fillers, variation selectors after a letter —
// so a "message" made of them looks empty, and a name carrying them looks
// exactly like someone else's. The service refuses both; the checks below
// are the one place that says which characters those are.

// HasVisibleText reports whether s has at least one character that draws
// something: a letter, digit, punctuation or symbol that is not a space and
// not invisible. Text without one (only spaces, NULs, zero-width spaces,
// U+2800 …) is refused as empty wherever text is required.
func HasVisibleText(s string) bool {
	for _, r := range s {
		if isVisible(r) {
			return true
		}
	}
	return false
}

// isVisible reports a rune that draws a mark of its own. Combining marks
// draw only on a base character, so they do not count.
func isVisible(r rune) bool {
	return r != utf8.RuneError && unicode.IsGraphic(r) && !unicode.IsSpace(r) &&
		!unicode.Is(unicode.M, r) && !isInvisible(r)
}

// isInvisible reports format characters (Unicode category Cf: zero-width
// space and joiners, bidi controls, tags U+E0000–E007F, the BOM) and the
// other default-ignorable code points (variation selectors, Hangul fillers,
// the combining grapheme joiner …), plus U+2800 BRAILLE PATTERN BLANK,
// which is a symbol in Unicode's tables but draws nothing.
func isInvisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) ||
		unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) ||
		unicode.Is(unicode.Variation_Selector, r) ||
		r == '\u2800'
}

// invisibleInName returns the first invisible character of a name that is
// not part of an emoji, or -1 when there is none. Emoji may use the zero
// width joiner (👩‍💻) and the emoji/text presentation selectors (❤️); after
// a letter or a space those draw nothing and only serve to make one name
// look like another, so they are refused there.
func invisibleInName(name string) rune {
	var prev rune
	for _, r := range name {
		if isInvisible(r) && !emojiJoin(prev, r) {
			return r
		}
		prev = r
	}
	return -1
}

// emojiJoin reports a joiner or presentation selector that follows a
// symbol (an emoji) or another selector, as emoji sequences use them.
func emojiJoin(prev, r rune) bool {
	switch r {
	case '\u200d', '\ufe0e', '\ufe0f':
		return unicode.Is(unicode.So, prev) || unicode.Is(unicode.Sk, prev) || prev == '\ufe0f'
	}
	return false
}
