package template

func (b *builder) flowLogs() {} // TODO(issue 4)
