package graph

import (
	"fmt"
	"slices"
	"strings"
)

// Options change what [Architecture] draws.
type Options struct {
	Title string // drawn at the top left, such as the stack name
	Plan  *Plan  // a change set to mark on the picture; nil: the stack as it is
}

// Picture is the architecture of a template, ready to draw.
type Picture struct {
	a *arch
	m *marks
	o Options
}

// Architecture reads a template as the architecture it deploys; the
// package doc says how.
func Architecture(template []byte, o Options) (*Picture, error) {
	s, err := read(template)
	if err != nil {
		return nil, err
	}
	var lost []Change // removed resources with no place to draw them
	if o.Plan != nil {
		var prev *stack
		if o.Plan.Previous != nil {
			if prev, err = read(o.Plan.Previous); err != nil {
				return nil, fmt.Errorf("previous template: %w", err)
			}
		}
		for _, c := range o.Plan.Changes {
			if c.Action != "Remove" || s.res[c.LogicalID] != nil {
				continue
			}
			if prev != nil && prev.res[c.LogicalID] != nil {
				r := *prev.res[c.LogicalID]
				s.res[c.LogicalID] = &r
				s.names = append(s.names, c.LogicalID)
			} else {
				lost = append(lost, c)
			}
		}
		slices.Sort(s.names)
		for _, name := range s.names {
			r := s.res[name]
			r.refs = slices.DeleteFunc(slices.Clone(r.refs), func(ref string) bool { return s.res[ref] == nil })
		}
	}
	a := newArch(s)
	if len(lost) > 0 {
		e := &element{key: "_removed", kind: "removed", title: "Removed", name: "not in the new template", level: regional}
		for i, c := range lost {
			e.own = append(e.own, c.LogicalID)
			if i < 12 {
				e.details = append(e.details, "- "+c.LogicalID+" ("+strings.TrimPrefix(c.Type, "AWS::")+")")
			}
		}
		if len(lost) > 12 {
			e.details = append(e.details, fmt.Sprintf("and %d more", len(lost)-12))
		}
		a.add(e)
	}
	return &Picture{a: a, m: newMarks(o.Plan), o: o}, nil
}

// SVG draws the picture as a self-contained SVG: cfngen lays it out
// itself, a column per Availability Zone and a row per tier.
func (p *Picture) SVG() []byte {
	return p.a.svg(p.m, p.o)
}
