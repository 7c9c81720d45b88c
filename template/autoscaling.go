package template

func (b *builder) autoScaling(n *network) string {
	return "" // TODO(issue 5)
}
