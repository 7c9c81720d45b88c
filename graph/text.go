package graph

import "strings"

// The SVG names Helvetica, then Arial and Liberation Sans, which have the
// same advance widths. These are Helvetica's, in thousandths of the font
// size, for the printable ASCII characters from the space on; a middle dot
// is as wide as a period, and anything else (an arrow, an ellipsis) counts
// as wide as the font size, which errs on the wide side.
var (
	regularWidths = [95]uint16{
		278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
		556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 to ?
		1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ to O
		667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P to _
		333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` to o
		556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p to ~
	}
	boldWidths = [95]uint16{
		278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
		556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
		975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
		667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
		333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
		611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
	}
)

// font is a size and a weight of the picture's one typeface.
type font struct {
	size float64
	bold bool
}

var (
	fontName  = font{12, true}  // a box's title
	fontSmall = font{10, false} // names, details, labels
	fontTag   = font{10, true}  // the marks of a plan
)

// width returns the width of s in pixels.
func (f font) width(s string) float64 {
	table := &regularWidths
	if f.bold {
		table = &boldWidths
	}
	var w int
	for _, r := range s {
		if r >= ' ' && r <= '~' {
			w += int(table[r-' '])
		} else if r == '·' {
			w += 278
		} else {
			w += 1000
		}
	}
	return float64(w) * f.size / 1000
}

// fit returns s, cut with an ellipsis when it is wider than max pixels.
func (f font) fit(s string, max float64) string {
	if f.width(s) <= max {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && f.width(string(r)+"…") > max {
		r = r[:len(r)-1]
	}
	return strings.TrimRight(string(r), " ,·") + "…"
}

// wrap breaks s into lines of at most max pixels at spaces; a word wider
// than max is cut by fit.
func (f font) wrap(s string, max float64) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case f.width(line+" "+word) <= max:
			line += " " + word
		default:
			lines = append(lines, f.fit(line, max))
			line = word
		}
	}
	if line != "" {
		lines = append(lines, f.fit(line, max))
	}
	return lines
}
