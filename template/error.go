package template

import (
	"fmt"

	"github.com/cfngen/cfngen/config"
)

// Error is a config that passes [config.Config.Validate] but cannot make a
// template: its user data does not render, or the template would be over
// one of CloudFormation's limits. Key is the config key to change (dotted,
// as in [config.Error]); File and Line say where it is set, when the
// config was read from a file. It reads as a config.Error does.
type Error struct {
	File   string
	Line   int
	Key    string
	Reason string
}

func (e *Error) Error() string { return (*config.Error)(e).Error() }

// errorAt returns an Error about key of c (nil for a Stack made by hand).
func errorAt(c *config.Config, key, format string, args ...any) *Error {
	e := &config.Error{Key: key, Reason: fmt.Sprintf(format, args...)}
	if c != nil {
		c.Place(e)
	}
	return (*Error)(e)
}
