package graph

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// The picture's measures, in pixels.
const (
	margin     = 24.0  // around the picture
	gutter     = 20.0  // between zones
	vpcPad     = 16.0  // between the VPC's frame and the zones
	zonePad    = 10.0  // inside a zone's frame
	zoneLabel  = 22.0  // the height of a zone's label
	pad        = 10.0  // inside a subnet
	subnetMinW = 250.0 // the narrowest subnet
	smallW     = 108.0 // a NAT gateway, an instance
	rowGap     = 34.0  // between a zone's public and private subnets
	bandGap    = 10.0  // between boxes stacked in a subnet
	lineH      = 13.0  // a line of small text
	lane       = 28.0  // from the middle of the internet gateway to where the way out enters it
)

// box is a rectangle.
type box struct{ x, y, w, h float64 }

func (b box) cx() float64     { return b.x + b.w/2 }
func (b box) right() float64  { return b.x + b.w }
func (b box) bottom() float64 { return b.y + b.h }

// drawer lays out and draws the picture of an architecture.
type drawer struct {
	a *arch
	m *marks
	o Options

	subnetW float64
	zoneX   []float64      // the left of each zone's frame
	at      map[string]box // element key -> where it is drawn
	inX     float64        // where traffic from the internet comes down
	l0      float64        // the lane of the way out, above the zones
	width   float64
	height  float64

	frames, lines, boxes, labels bytes.Buffer // layers, bottom to top
}

func (a *arch) svg(m *marks, o Options) []byte {
	d := &drawer{a: a, m: m, o: o, at: map[string]box{}}
	d.layout()
	var b bytes.Buffer
	class := ""
	if m.on {
		class = ` class="plan"`
	}
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s"%s>`+"\n",
		num(d.width), num(d.height), num(d.width), num(d.height), class)
	if o.Title != "" {
		fmt.Fprintf(&b, "<title>%s</title>\n", esc(d.caption()))
	}
	b.WriteString(svgStyle)
	fmt.Fprintf(&b, `<rect class="paper" width="%s" height="%s"/>`+"\n", num(d.width), num(d.height))
	for _, layer := range []*bytes.Buffer{&d.frames, &d.lines, &d.boxes, &d.labels} {
		b.Write(layer.Bytes())
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// svgStyle is the look: AWS's colours for networking (purple), compute
// (orange), public (green) and private (blue) subnets; green, amber and
// red for the actions of a plan, each with its text mark.
const svgStyle = `<defs>
<marker id="in" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#232f3e"/></marker>
<marker id="out" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#d45b07"/></marker>
</defs>
<style>
text{font-family:Helvetica,Arial,'Liberation Sans',sans-serif;font-size:11px;fill:#16191f}
.paper{fill:#fff}
.t{font-size:12px;font-weight:bold}.big{font-size:16px;font-weight:bold}
.n{font-size:10px;fill:#545b64}.d{font-size:10.5px}.s{font-size:10px}
.vpc>rect{fill:none;stroke:#8c4fff;stroke-width:2}.vpc .t{fill:#6b2fd6}
.zone>rect{fill:none;stroke:#147eba;stroke-dasharray:6 4}.zone text{fill:#147eba;font-weight:bold}
.public>rect{fill:#f2f6e8;stroke:#7aa116}.public .t{fill:#4f6b0e}
.private>rect{fill:#e6f2f8;stroke:#147eba}.private .t{fill:#0f5d8a}
.net>rect{fill:#f6f1ff;stroke:#8c4fff}.cpu>rect{fill:#fdf3ea;stroke:#ed7100}
.other>rect{fill:#fff;stroke:#545b64}.internet>rect{fill:#fff;stroke:#232f3e;stroke-width:1.5}
.chip>rect{fill:#fff;stroke:#8c4fff}
.flow{fill:none;stroke:#232f3e;stroke-width:1.6;marker-end:url(#in)}
.flow.out{stroke:#d45b07;stroke-dasharray:6 4;marker-end:url(#out)}
.halo{fill:none;stroke:#fff;stroke-width:6}
.label>rect{fill:#fff;stroke:#d5dbdb}.label text{font-size:10px}.label.out text{fill:#a94505}
.add>rect{stroke:#1d8102;stroke-width:2.5}.modify>rect{stroke:#b36b00;stroke-width:2.5}
.replace>rect{stroke:#d13212;stroke-width:2.5}.remove>rect{stroke:#d13212;stroke-width:2.5;stroke-dasharray:5 3}
.import>rect{stroke:#0972d3;stroke-width:2.5}
.plan .same{opacity:.5}
.tag>rect{stroke:none}.tag text{font-size:10px;font-weight:bold;fill:#fff}
.tag.add>rect{fill:#1d8102}.tag.modify>rect{fill:#b36b00}.tag.replace>rect{fill:#d13212}.tag.remove>rect{fill:#d13212}.tag.import>rect{fill:#0972d3}
text.add{fill:#1d8102;font-weight:bold}text.modify{fill:#8a5300;font-weight:bold}text.replace,text.remove{fill:#d13212;font-weight:bold}text.import{fill:#0972d3;font-weight:bold}
.remove .t{text-decoration:line-through}[data-kind=removed] .t{text-decoration:none}
</style>
`

// layout places everything and draws it into the layers.
func (d *drawer) layout() {
	a := d.a
	n := len(a.columns)
	d.subnetW = subnetMinW
	for _, e := range a.elems {
		if e.level == inSubnet {
			d.subnetW = max(d.subnetW, d.natural(e)+2*pad)
		}
		if e.kind == "subnet" { // a word of its header, such as a subnet ID, fits whole (see subnetContent)
			for _, det := range e.details {
				for _, word := range strings.Fields(det) {
					w := fontSmall.width(word)
					d.subnetW = max(d.subnetW, 2*(w+pad), w+3*pad+smallW)
				}
			}
		}
	}
	zoneW := d.subnetW + 2*zonePad
	vpcW := float64(n)*zoneW + float64(max(n-1, 0))*gutter + 2*vpcPad
	top := margin
	if d.o.Title != "" {
		top += 40
	}

	// The internet and DNS names, above the VPC.
	x := margin
	var tops []*element
	for _, e := range a.elems {
		if e.level == atTop && e.kind != "internet" {
			tops = append(tops, e)
		}
	}
	vpcX := margin
	for i := range n {
		d.zoneX = append(d.zoneX, vpcX+vpcPad+float64(i)*(zoneW+gutter))
	}
	d.inX = margin + 80
	if n > 0 {
		// Traffic comes down the gutter in the middle, or the one left of
		// the middle zone: never across a subnet's text.
		d.inX = d.zoneX[n/2] - gutter/2
	}
	rowTop := top
	topH := 0.0
	if inet := a.by[internet]; inet != nil {
		b := box{d.inX - 70, top, 140, 40}
		d.at[internet] = b
		topH = b.h
	}
	for _, e := range tops {
		w := d.natural(e)
		h := d.boxH(e, w)
		b := box{x, rowTop, w, h}
		if b.right() > d.inX-90 && d.at[internet].w > 0 {
			x = d.inX + 90 // right of the internet instead
			b.x = x
		}
		d.at[e.key] = b
		x += w + 16
		topH = max(topH, h)
	}
	y := top + topH

	// The VPC.
	if a.vpc != nil {
		y += 24
		if a.by[internet] != nil {
			y += 40 // the arrows between the internet and its gateway
		}
		vpcTop := y
		for _, e := range a.elems {
			if e.level == atEdge {
				w := max(130, d.natural(e))
				h := d.boxH(e, w)
				d.at[e.key] = box{d.inX - w/2, vpcTop - h/2, w, h}
			}
		}
		head := 8 + 16 + lineH + float64(len(a.vpc.details)+len(d.planLines(a.vpc, vpcW/2)))*lineH
		if igw, ok := d.edgeBox(); ok {
			head = max(head, igw.bottom()-vpcTop+8)
		}
		d.l0 = vpcTop + head + 6
		zonesTop := d.l0 + 12
		y = d.zones(zonesTop)
		// What is in the VPC but in no subnet.
		var inside []*element
		for _, e := range a.elems {
			if e.level == inVPC && e.kind != "vpc" && e.kind != "subnet" || (e.level == inSubnet || e.level == across) && d.at[e.key].w == 0 {
				inside = append(inside, e)
			}
		}
		if len(inside) > 0 {
			y = d.flowBoxes(inside, vpcX+vpcPad, y+16, vpcW-2*vpcPad)
		}
		y += vpcPad
		d.at[a.vpc.key] = box{vpcX, vpcTop, vpcW, y - vpcTop}
		y += 20
	}

	// What is outside the VPC.
	var outside []*element
	for _, e := range a.elems {
		if e.level == regional {
			outside = append(outside, e)
		}
	}
	d.width = max(vpcW, 600) + 2*margin
	if len(outside) > 0 {
		if a.vpc == nil {
			y += 10
		}
		y = d.flowBoxes(outside, margin, y, d.width-2*margin) + 20
	}
	for _, b := range d.at {
		d.width = max(d.width, b.right()+margin)
	}
	y = d.legend(y)
	d.height = y + margin

	d.drawFrames()
	d.drawFlows()
	for _, e := range a.elems {
		if b, ok := d.at[e.key]; ok && e.kind != "vpc" && e.kind != "subnet" {
			d.drawBox(e, b)
		}
	}
	if d.o.Title != "" {
		fmt.Fprintf(&d.labels, `<text class="big" x="%s" y="%s">%s</text>`+"\n", num(margin), num(margin+14), esc(d.o.Title))
		if d.m.on {
			fmt.Fprintf(&d.labels, `<text class="d" x="%s" y="%s">%s</text>`+"\n", num(margin), num(margin+30), esc(d.summary()))
		}
	}
}

func (d *drawer) edgeBox() (box, bool) {
	for _, e := range d.a.elems {
		if e.level == atEdge {
			return d.at[e.key], true
		}
	}
	return box{}, false
}

// zones places the zones' subnets and what is in them, from top, and
// returns the bottom of the zones.
func (d *drawer) zones(top float64) float64 {
	a := d.a
	type row struct {
		public bool
		k      int
	}
	var rows []row
	for _, public := range []bool{true, false} {
		most := 0
		for _, c := range a.columns {
			list := c.private
			if public {
				list = c.public
			}
			most = max(most, len(list))
		}
		for k := range most {
			rows = append(rows, row{public, k})
		}
	}
	subnetAt := func(r row, c int) string {
		list := a.columns[c].private
		if r.public {
			list = a.columns[c].public
		}
		if r.k < len(list) {
			return list[r.k]
		}
		return ""
	}
	rowOf := map[string]int{}
	for i, r := range rows {
		for c := range a.columns {
			if s := subnetAt(r, c); s != "" {
				rowOf[s] = i
			}
		}
	}
	colOf := func(s string) int { c, _ := strconv.Atoi(a.by[s].zone); return c }

	y := top + zoneLabel
	for i, r := range rows {
		// The subnets' own content: the header, then the boxes in them.
		contentH := 0.0
		placed := map[string]box{}
		for c := range a.columns {
			s := subnetAt(r, c)
			if s == "" {
				continue
			}
			sx := d.zoneX[c] + zonePad
			h := d.subnetContent(a.by[s], sx, y, placed)
			contentH = max(contentH, h)
		}
		// The boxes across subnets of this row, stacked under it.
		by := y + contentH
		var prev *element
		for _, e := range a.elems {
			if e.level != across || rowOf[e.subnets[0]] != i {
				continue
			}
			c0, c1 := colOf(e.subnets[0]), colOf(e.subnets[len(e.subnets)-1])
			x0 := d.zoneX[c0] + zonePad + 8
			x1 := d.zoneX[c1] + zonePad + d.subnetW - 8
			gap := bandGap
			if prev != nil && prev.kind == "lb" && e.kind == "tg" {
				gap = 18 // room for the arrow from the load balancer
			}
			by += gap
			h := d.boxH(e, x1-x0)
			d.at[e.key] = box{x0, by, x1 - x0, h}
			by += h
			prev = e
		}
		rowH := by - y + pad
		for c := range a.columns {
			if s := subnetAt(r, c); s != "" {
				d.at[s] = box{d.zoneX[c] + zonePad, y, d.subnetW, rowH}
			}
		}
		for k, b := range placed {
			d.at[k] = b
		}
		y += rowH
		if i < len(rows)-1 {
			y += rowGap
		}
	}
	return y + zonePad
}

// subnetContent places a subnet's header and the boxes in it, from y, and
// returns the height they take.
func (d *drawer) subnetContent(s *element, x, y float64, placed map[string]box) float64 {
	var items []*element
	for _, e := range d.a.elems {
		if e.level == inSubnet && e.subnets[0] == s.key {
			items = append(items, e)
		}
	}
	headW := d.subnetW*0.5 - pad
	if s.public {
		headW = d.subnetW - 3*pad - smallW
	}
	headH := pad + float64(len(d.header(s, headW))+len(d.planLines(s, headW)))*lineH + 4
	// Boxes sit beside the header, top right, when they fit in one row;
	// else under it.
	total := 0.0
	for _, e := range items {
		total += d.natural(e) + 8
	}
	inner := d.subnetW - 2*pad
	bottom := headH
	if len(items) > 0 && total-8 <= inner-headW-pad {
		bx := x + d.subnetW - pad
		for _, e := range items {
			w := d.natural(e)
			bx -= w
			h := d.boxH(e, w)
			placed[e.key] = box{bx, y + pad, w, h}
			bottom = max(bottom, pad+h+pad)
			bx -= 8
		}
		return bottom
	}
	bx, by, rowH := x+pad, y+headH+4, 0.0
	for _, e := range items {
		w := min(d.natural(e), inner)
		if len(items) > 1 && w < inner {
			w = smallW
		}
		if bx+w > x+d.subnetW-pad+0.5 {
			bx, by = x+pad, by+rowH+d.itemGap()
			rowH = 0
		}
		h := d.boxH(e, w)
		placed[e.key] = box{bx, by, w, h}
		rowH = max(rowH, h)
		bx += w + 8
	}
	return by + rowH - y + 4
}

// itemGap is the space between rows of boxes in a subnet: more in a plan,
// where marks sit on the boxes' top edges.
func (d *drawer) itemGap() float64 {
	if d.m.on {
		return 14
	}
	return 8
}

// header returns the lines of a subnet's label: its kind, CIDR, logical ID
// and where its traffic goes.
func (d *drawer) header(s *element, w float64) []string {
	var lines []string
	for _, det := range s.details {
		lines = append(lines, fontSmall.wrap(det, w)...)
	}
	return append([]string{s.title, s.name}, lines...)
}

// flowBoxes places boxes left to right from (x, y), wrapping at width w,
// and returns the bottom.
func (d *drawer) flowBoxes(list []*element, x, y, w float64) float64 {
	bx, rowH, bottom := x, 0.0, y
	for _, e := range list {
		bw := min(d.natural(e), w)
		if bx > x && bx+bw > x+w {
			bx, y = x, y+rowH+12
			rowH = 0
		}
		h := d.boxH(e, bw)
		d.at[e.key] = box{bx, y, bw, h}
		rowH = max(rowH, h)
		bx += bw + 12
		bottom = y + rowH
	}
	return bottom
}

// natural returns the width a box wants: its longest line, or the width
// of a small box.
func (d *drawer) natural(e *element) float64 {
	switch e.kind {
	case "internet":
		return 140
	case "nat", "instance":
		if len(e.own) > 1 {
			return d.subnetW - 2*pad
		}
		return smallW
	}
	w := max(fontName.width(e.title), fontSmall.width(e.name))
	for _, det := range e.details {
		w = max(w, fontSmall.width(det))
	}
	for _, l := range d.m.lines(e, d.typeOf) {
		w = max(w, fontSmall.width(l.text))
	}
	return math.Ceil(min(max(w+32, 120), 360))
}

// wide reports whether a box is wide enough to have its logical ID on
// the title's line.
func wide(w float64) bool { return w > 300 }

// boxH returns the height of e's box at width w.
func (d *drawer) boxH(e *element, w float64) float64 {
	if e.kind == "internet" {
		return 40
	}
	c := d.content(e, w)
	return 10 + float64(len(c.head)+c.rows()+len(c.plan))*lineH + 16 + chipsH(e, w, d.m)
}

// text is what a box says under its title: its name, its details in one
// column or more, and what the plan does inside it.
type text struct {
	head    []string
	details [][]string // columns
	colX    []float64  // where each column starts, from the box's text margin
	plan    []planLine
}

func (t text) rows() int {
	n := 0
	for _, c := range t.details {
		n = max(n, len(c))
	}
	return n
}

// content returns the text of a box, wrapped to its width w. A box wide
// enough sets its details side by side, in columns of three lines.
func (d *drawer) content(e *element, w float64) text {
	var t text
	if !wide(w) && e.name != "" {
		t.head = append(t.head, fontSmall.fit(e.name, w-16))
	}
	inner := w - 16
	for cols := (len(e.details) + 2) / 3; cols > 1 && t.details == nil; cols-- {
		per := (len(e.details) + cols - 1) / cols
		x := 0.0
		var xs []float64
		var columns [][]string
		for i := 0; i < len(e.details); i += per {
			col := e.details[i:min(i+per, len(e.details))]
			widest := 0.0
			for _, l := range col {
				widest = max(widest, fontSmall.width(l))
			}
			xs, columns = append(xs, x), append(columns, col)
			x += widest + 28
		}
		if x-28 <= inner {
			t.details, t.colX = columns, xs
		}
	}
	if t.details == nil {
		var col []string
		for _, det := range e.details {
			col = append(col, fontSmall.wrap(det, inner)...)
		}
		t.details, t.colX = [][]string{col}, []float64{0}
	}
	t.plan = d.planLines(e, inner)
	return t
}

// planLines returns what the plan does inside e, wrapped to w.
func (d *drawer) planLines(e *element, w float64) []planLine {
	var out []planLine
	for _, l := range d.m.lines(e, d.typeOf) {
		for _, part := range fontSmall.wrap(l.text, w) {
			out = append(out, planLine{k: l.k, text: part})
		}
	}
	return out
}

func chipsH(e *element, w float64, m *marks) float64 {
	if len(e.chips) == 0 {
		return 0
	}
	rows, x := 1, 0.0
	for _, c := range e.chips {
		cw := fontSmall.width(chipText(c.text, m.of[c.id])) + 14
		if x > 0 && x+cw > w-16 {
			rows, x = rows+1, 0
		}
		x += cw + 6
	}
	return float64(rows) * 22
}

func (d *drawer) typeOf(id string) string {
	if r := d.a.s.res[id]; r != nil {
		return r.typ
	}
	return d.m.types[id]
}

// style returns the CSS classes of a box: its colour family and its mark.
func (d *drawer) style(e *element) string {
	family := "other"
	switch e.kind {
	case "igw", "nat", "lb", "tg", "endpoint", "dns":
		family = "net"
	case "instance", "asg", "fleet":
		family = "cpu"
	case "internet":
		family = "internet"
	case "vpc":
		family = "vpc"
	case "subnet":
		family = "private"
		if e.public {
			family = "public"
		}
	}
	k := d.m.own(e)
	if k == same && d.m.on {
		for _, l := range d.m.lines(e, d.typeOf) {
			k = max(k, l.k)
		}
		if k == same {
			return family + " same"
		}
	}
	return family + " " + k.class()
}

// tooltip lists the logical IDs that a box draws, and the plumbing folded
// into it, with their types and actions.
func (d *drawer) tooltip(e *element) string {
	var lines []string
	for _, list := range [][]string{e.own, e.folded} {
		for _, id := range list {
			line := id + " (" + d.typeOf(id) + ")"
			if k := d.m.of[id]; k != same {
				line += " " + k.mark()
			}
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, "\n")
}

// drawBox draws an element's box, its text and its mark.
func (d *drawer) drawBox(e *element, b box) {
	w := &d.boxes
	fmt.Fprintf(w, `<g class="%s" data-kind="%s">`, d.style(e), e.kind)
	if tip := d.tooltip(e); tip != "" {
		fmt.Fprintf(w, "<title>%s</title>", esc(tip))
	}
	if e.kind == "internet" {
		fmt.Fprintf(w, `<rect x="%s" y="%s" width="%s" height="%s" rx="20"/>`, num(b.x), num(b.y), num(b.w), num(b.h))
		fmt.Fprintf(w, `<text class="t" x="%s" y="%s" text-anchor="middle">Internet</text></g>`+"\n", num(b.cx()), num(b.y+b.h/2+4))
		return
	}
	fmt.Fprintf(w, `<rect x="%s" y="%s" width="%s" height="%s" rx="6"/>`, num(b.x), num(b.y), num(b.w), num(b.h))
	ty := b.y + 18
	fmt.Fprintf(w, `<text class="t" x="%s" y="%s">%s</text>`, num(b.x+8), num(ty), esc(fontName.fit(e.title, b.w-16)))
	if wide(b.w) && e.name != "" {
		nx := b.x + 8 + fontName.width(e.title) + 10
		fmt.Fprintf(w, `<text class="n" x="%s" y="%s">%s</text>`, num(nx), num(ty), esc(fontSmall.fit(e.name, b.right()-nx-90)))
	}
	y := ty
	if len(e.chips) > 0 {
		x := b.x + 8
		y += 6
		for _, c := range e.chips {
			k := d.m.of[c.id]
			cw := fontSmall.width(chipText(c.text, k)) + 14
			if x > b.x+8 && x+cw > b.right()-8 {
				x, y = b.x+8, y+22
			}
			fmt.Fprintf(w, `<g class="chip %s"><rect x="%s" y="%s" width="%s" height="17" rx="8"/><text class="s" x="%s" y="%s">%s</text></g>`,
				k.class(), num(x), num(y), num(cw), num(x+7), num(y+12), esc(chipText(c.text, k)))
			x += cw + 6
		}
		y += 16
	}
	t := d.content(e, b.w)
	for _, l := range t.head {
		y += lineH
		fmt.Fprintf(w, `<text class="n" x="%s" y="%s">%s</text>`, num(b.x+8), num(y), esc(l))
	}
	for i, col := range t.details {
		for j, l := range col {
			fmt.Fprintf(w, `<text class="d" x="%s" y="%s">%s</text>`, num(b.x+8+t.colX[i]), num(y+float64(j+1)*lineH), esc(l))
		}
	}
	y += float64(t.rows()) * lineH
	for _, l := range t.plan {
		y += lineH
		fmt.Fprintf(w, `<text class="s %s" x="%s" y="%s">%s</text>`, l.k.class(), num(b.x+8), num(y), esc(l.text))
	}
	w.WriteString("</g>\n")
	d.tag(e, b)
}

func chipText(text string, k act) string {
	if k == same {
		return text
	}
	return k.symbol() + " " + text
}

// tag draws the mark of an element's own action at its top right corner.
func (d *drawer) tag(e *element, b box) {
	k := d.m.own(e)
	if k == same {
		return
	}
	text := k.mark()
	if !d.allSame(e) {
		text += " (some)"
	}
	w := fontTag.width(text) + 12
	x, y := b.right()-w-6, b.y-8
	if e.kind == "subnet" || e.kind == "vpc" {
		y = b.y - 16 // on the frame, clear of the marks of the boxes in it
	}
	fmt.Fprintf(&d.labels, `<g class="tag %s"><rect x="%s" y="%s" width="%s" height="16" rx="3"/><text x="%s" y="%s">%s</text></g>`+"\n",
		k.class(), num(x), num(y), num(w), num(x+6), num(y+12), esc(text))
}

func (d *drawer) allSame(e *element) bool {
	for _, id := range e.own {
		if d.m.of[id] != d.m.of[e.own[0]] {
			return false
		}
	}
	return true
}

// drawFrames draws the VPC, the zones and the subnets with their headers.
func (d *drawer) drawFrames() {
	a := d.a
	if a.vpc == nil {
		return
	}
	w := &d.frames
	v := d.at[a.vpc.key]
	fmt.Fprintf(w, `<g class="%s"><title>%s</title><rect x="%s" y="%s" width="%s" height="%s" rx="4"/>`,
		d.style(a.vpc), esc(d.tooltip(a.vpc)), num(v.x), num(v.y), num(v.w), num(v.h))
	fmt.Fprintf(w, `<text class="t" x="%s" y="%s">%s</text>`, num(v.x+10), num(v.y+20), esc(a.vpc.title))
	y := v.y + 20
	if a.vpc.name != "" {
		fmt.Fprintf(w, `<text class="n" x="%s" y="%s">%s</text>`, num(v.x+16+fontName.width(a.vpc.title)), num(y), esc(a.vpc.name))
	}
	for _, det := range a.vpc.details {
		y += lineH
		fmt.Fprintf(w, `<text class="d" x="%s" y="%s">%s</text>`, num(v.x+10), num(y), esc(det))
	}
	for _, l := range d.planLines(a.vpc, v.w/2) {
		y += lineH
		fmt.Fprintf(w, `<text class="s %s" x="%s" y="%s">%s</text>`, l.k.class(), num(v.x+10), num(y), esc(l.text))
	}
	w.WriteString("</g>\n")
	d.tag(a.vpc, v)
	bottom := 0.0
	for _, e := range a.elems {
		if e.kind == "subnet" {
			bottom = max(bottom, d.at[e.key].bottom())
		}
	}
	for i, c := range a.columns {
		x := d.zoneX[i]
		zw := d.subnetW + 2*zonePad
		fmt.Fprintf(w, `<g class="zone"><rect x="%s" y="%s" width="%s" height="%s" rx="4"/><text x="%s" y="%s">%s</text></g>`+"\n",
			num(x), num(d.l0+12), num(zw), num(bottom+zonePad-d.l0-12), num(x+8), num(d.l0+28), esc(fontName.fit(c.label, zw-16)))
	}
	for _, e := range a.elems {
		if e.kind != "subnet" {
			continue
		}
		b := d.at[e.key]
		headW := d.subnetW*0.5 - pad
		if e.public {
			headW = d.subnetW - 3*pad - smallW
		}
		fmt.Fprintf(w, `<g class="%s"><title>%s</title><rect x="%s" y="%s" width="%s" height="%s" rx="4"/>`,
			d.style(e), esc(d.tooltip(e)), num(b.x), num(b.y), num(b.w), num(b.h))
		y := b.y + pad + 2
		for i, line := range d.header(e, headW) {
			class := "d"
			switch i {
			case 0:
				class = "t"
			case 1:
				class = "n"
			}
			y += lineH
			if i == 0 {
				y -= 2
			}
			fmt.Fprintf(w, `<text class="%s" x="%s" y="%s">%s</text>`, class, num(b.x+pad), num(y), esc(fontSmall.fit(line, headW)))
		}
		w.WriteString("</g>\n")
		for _, l := range d.planLines(e, headW) {
			y += lineH
			fmt.Fprintf(&d.labels, `<text class="s %s" x="%s" y="%s">%s</text>`+"\n", l.k.class(), num(b.x+pad), num(y), esc(l.text))
		}
		d.tag(e, b)
	}
}

// drawFlows draws the traffic: in from the internet, on to the targets,
// and the way out.
func (d *drawer) drawFlows() {
	a := d.a
	var outLabel []string
	for _, f := range a.flows {
		if f.out && f.label != "" {
			for _, p := range strings.Split(f.label, ", ") {
				if !slices.Contains(outLabel, p) {
					outLabel = append(outLabel, p)
				}
			}
		}
	}
	labelled := map[string]bool{}
	for _, f := range a.flows {
		from, okF := d.at[f.from]
		to, okT := d.at[f.to]
		if !okF || !okT {
			continue
		}
		fromE, toE := a.by[f.from], a.by[f.to]
		switch {
		case fromE.kind == "internet" && f.to != "":
			x := d.inX
			if d.hasFlow(f.to, internet) {
				x -= 14
			}
			d.path(false, x, from.bottom(), x, to.y)
			d.label(false, f.label, x-8, (from.bottom()+to.y)/2, "end")
		case toE.kind == "internet":
			x := d.inX + 14
			d.path(true, x, from.y, x, to.bottom())
			if len(outLabel) > 0 {
				d.label(true, "out: "+strings.Join(outLabel, ", "), x+8, (from.y+to.bottom())/2, "start")
			}
		case fromE.kind == "igw" && !f.out:
			x := clamp(d.inX, to.x+20, to.right()-20)
			if x == d.inX {
				d.path(false, x, from.bottom(), x, to.y)
			} else {
				d.path(false, d.inX, from.bottom(), d.inX, to.y-12, x, to.y-12, x, to.y)
			}
		case fromE.kind == "lb" && toE.kind == "tg":
			x := clamp(d.inX, to.x+20, to.right()-20)
			d.path(false, x, from.bottom(), x, to.y)
		case fromE.kind == "tg" || fromE.kind == "lb":
			d.drawForward(f, from, to, toE, labelled)
		case fromE.kind == "subnet" && f.out:
			d.drawRoute(f, from, to)
		case fromE.kind == "nat" && toE.kind == "igw":
			entry := d.inX - lane
			if from.cx() > d.inX {
				entry = d.inX + lane
			}
			d.path(true, from.cx(), from.y, from.cx(), d.l0, entry, d.l0, entry, to.bottom())
		default:
			d.path(f.out, from.cx(), from.bottom(), to.cx(), to.y)
		}
	}
}

func (d *drawer) hasFlow(from, to string) bool {
	return slices.ContainsFunc(d.a.flows, func(f flow) bool { return f.from == from && f.to == to })
}

// drawForward draws the arrows from a target group down to its targets:
// into each subnet of the targets, or onto a box across subnets.
func (d *drawer) drawForward(f flow, from, to box, toE *element, labelled map[string]bool) {
	var ends [][2]float64 // x, y
	top := to.y           // where the label goes: above the subnets
	if toE.level == across {
		for _, s := range toE.subnets {
			sb := d.at[s]
			ends = append(ends, [2]float64{sb.x + d.subnetW*0.58, to.y})
			top = sb.y
		}
	} else if len(toE.subnets) == 1 {
		sb := d.at[toE.subnets[0]]
		ends = append(ends, [2]float64{sb.x + d.subnetW*0.58, sb.y})
		top = sb.y
	} else {
		ends = append(ends, [2]float64{to.cx(), to.y})
	}
	for _, end := range ends {
		key := f.from + num(end[0])
		if labelled[key] {
			continue // another instance in the same subnet
		}
		labelled[key] = true
		x0 := clamp(end[0], from.x+20, from.right()-20)
		if x0 == end[0] {
			d.halo(end[0], from.bottom(), end[0], top)
			d.path(false, end[0], from.bottom(), end[0], end[1])
		} else {
			mid := from.bottom() + 14
			d.path(false, x0, from.bottom(), x0, mid, end[0], mid, end[0], end[1])
		}
		if !labelled[f.from] && f.label != "" {
			labelled[f.from] = true
			d.label(false, f.label, end[0]+6, top-rowGap/2-2, "start")
		}
	}
}

// drawRoute draws a subnet's way out to its NAT gateway: up from the
// subnet, along the gap between the tiers, up into the gateway.
func (d *drawer) drawRoute(f flow, from, to box) {
	x := from.right() - pad - smallW/2
	if x == to.cx() {
		d.path(true, x, from.y, x, to.bottom())
		return
	}
	mid := from.y - rowGap/2 + 5
	d.path(true, x, from.y, x, mid, to.cx(), mid, to.cx(), to.bottom())
}

// path draws a line through the points (x, y pairs) with an arrow at
// its end.
func (d *drawer) path(out bool, pts ...float64) {
	class := "flow"
	if out {
		class += " out"
	}
	fmt.Fprintf(&d.lines, `<path class="%s" d="%s"/>`+"\n", class, points(pts))
}

// halo draws a white line under a line that crosses others, so that it
// reads as passing over them.
func (d *drawer) halo(pts ...float64) {
	fmt.Fprintf(&d.lines, `<path class="halo" d="%s"/>`+"\n", points(pts))
}

func points(pts []float64) string {
	var b strings.Builder
	for i := 0; i+1 < len(pts); i += 2 {
		if i == 0 {
			b.WriteString("M")
		} else {
			b.WriteString(" L")
		}
		b.WriteString(num(pts[i]) + "," + num(pts[i+1]))
	}
	return b.String()
}

// label writes a small boxed label at (x, y), anchored at its start or
// end.
func (d *drawer) label(out bool, text string, x, y float64, anchor string) {
	if text == "" {
		return
	}
	w := fontSmall.width(text) + 10
	bx := x
	if anchor == "end" {
		bx = x - w
	}
	class := "label"
	if out {
		class += " out"
	}
	fmt.Fprintf(&d.labels, `<g class="%s"><rect x="%s" y="%s" width="%s" height="15" rx="3"/><text x="%s" y="%s">%s</text></g>`+"\n",
		class, num(bx), num(y-8), num(w), num(bx+5), num(y+3), esc(text))
}

// legend draws what the lines and the marks mean, from y, and returns the
// bottom.
func (d *drawer) legend(y float64) float64 {
	w := &d.labels
	x := margin
	y += 8
	item := func(sample func(x, y float64), text string) {
		sample(x, y)
		fmt.Fprintf(w, `<text class="s" x="%s" y="%s">%s</text>`+"\n", num(x+40), num(y+4), esc(text))
		x += 40 + fontSmall.width(text) + 24
	}
	if slices.ContainsFunc(d.a.flows, func(f flow) bool { return !f.out }) {
		item(func(x, y float64) {
			fmt.Fprintf(w, `<path class="flow" d="M%s,%s L%s,%s"/>`, num(x), num(y), num(x+32), num(y))
		}, "requests, with their protocol and port")
	}
	if slices.ContainsFunc(d.a.flows, func(f flow) bool { return f.out }) {
		item(func(x, y float64) {
			fmt.Fprintf(w, `<path class="flow out" d="M%s,%s L%s,%s"/>`, num(x), num(y), num(x+32), num(y))
		}, "the way out of the private subnets")
	}
	if !d.m.on {
		return y + 10
	}
	y += 24
	x = margin
	for _, k := range acts {
		n := d.m.count[k]
		if k == imported && n == 0 {
			continue
		}
		text := k.mark()
		tw := fontTag.width(text) + 12
		fmt.Fprintf(w, `<g class="tag %s"><rect x="%s" y="%s" width="%s" height="16" rx="3"/><text x="%s" y="%s">%s</text></g>`,
			k.class(), num(x), num(y-8), num(tw), num(x+6), num(y+4), esc(text))
		count := fmt.Sprintf("%d", n)
		fmt.Fprintf(w, `<text class="s" x="%s" y="%s">%s</text>`+"\n", num(x+tw+6), num(y+4), count)
		x += tw + 6 + fontSmall.width(count) + 22
	}
	fmt.Fprintf(w, `<text class="s" x="%s" y="%s">faded: unchanged</text>`+"\n", num(x), num(y+4))
	return y + 10
}

// summary is the count line of a plan.
func (d *drawer) summary() string {
	c := d.m.count
	if c[added]+c[modified]+c[replaced]+c[removed]+c[imported] == 0 {
		return "Plan: no changes"
	}
	s := fmt.Sprintf("Plan: %d to add, %d to modify, %d to replace, %d to remove", c[added], c[modified], c[replaced], c[removed])
	if c[imported] > 0 {
		s += fmt.Sprintf(", %d to import", c[imported])
	}
	return s
}

func (d *drawer) caption() string {
	if d.m.on {
		return d.o.Title + ": " + d.summary()
	}
	return d.o.Title
}

func clamp(v, lo, hi float64) float64 {
	if hi < lo {
		return (lo + hi) / 2
	}
	return min(max(v, lo), hi)
}

// num writes a coordinate with at most one decimal.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

func esc(s string) string { return escaper.Replace(s) }
