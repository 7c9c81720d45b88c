package cfnyaml

// Format rewrites a YAML or JSON template in canonical YAML. Formatting its
// own output gives the same bytes.
func Format(src []byte) ([]byte, error) {
	doc, err := Parse(src)
	if err != nil {
		return nil, err
	}
	Sort(doc, nil)
	return YAML(doc)
}
