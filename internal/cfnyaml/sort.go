package cfnyaml

import (
	"slices"

	"go.yaml.in/yaml/v3"
)

// sectionOrder is the order of a template's top-level sections in the
// CloudFormation documentation; unknown keys follow, in their own order.
var sectionOrder = []string{
	"AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules",
	"Mappings", "Conditions", "Transform", "Resources", "Outputs",
}

// resourceOrder puts Type first, then the resource attributes, then
// Properties.
var resourceOrder = []string{
	"Type", "Condition", "DependsOn", "CreationPolicy", "UpdatePolicy",
	"UpdateReplacePolicy", "DeletionPolicy", "Metadata", "Properties",
}

// outputOrder puts an output's Description before its Value.
var outputOrder = []string{"Description", "Condition", "Value", "Export"}

// Sort puts a long-form template in canonical order: sections, then the
// keys of each resource. Within a section, names listed in order[section]
// come first, in that order; the others keep their relative order.
func Sort(doc *yaml.Node, order map[string][]string) {
	sortKeys(doc, sectionOrder)
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if names, ok := order[doc.Content[i].Value]; ok {
			sortKeys(doc.Content[i+1], names)
		}
	}
	for section, keys := range map[string][]string{"Resources": resourceOrder, "Outputs": outputOrder} {
		if m := Get(doc, section); m != nil && m.Kind == yaml.MappingNode {
			for i := 1; i < len(m.Content); i += 2 {
				sortKeys(m.Content[i], keys)
			}
		}
	}
}

// sortKeys stably orders the pairs of mapping m: keys found in names by
// their place there, then the rest.
func sortKeys(m *yaml.Node, names []string) {
	if m.Kind != yaml.MappingNode {
		return
	}
	ranks := make(map[string]int, len(names))
	for i, k := range names {
		ranks[k] = i
	}
	rank := func(k string) int {
		if i, ok := ranks[k]; ok {
			return i
		}
		return len(names)
	}
	type pair struct{ k, v *yaml.Node }
	pairs := make([]pair, 0, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		pairs = append(pairs, pair{m.Content[i], m.Content[i+1]})
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return rank(a.k.Value) - rank(b.k.Value) })
	m.Content = m.Content[:0]
	for _, p := range pairs {
		m.Content = append(m.Content, p.k, p.v)
	}
}
