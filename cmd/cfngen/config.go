package main

import (
	"context"
	"fmt"
	"strings"
)

const configUsage = `usage: cfngen config [-c FILE]...

Config prints the effective config as YAML on stdout: the built-in stack
with each file laid over it in order, defaults included, so that a
reviewer sees what a deploy will use. Later files win: mappings merge key
by key, and lists and other values replace the earlier ones. An error
names the file and line that set the value.

Example:
  cfngen config -c base.yaml -c prod.yaml
`

func configCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlags("config")
	files := configFlag(fs)
	if err := parse(e, fs, configUsage, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*files)
	if err != nil {
		return err
	}
	out, err := cfg.YAML()
	if err != nil {
		return err
	}
	from := "the built-in stack"
	if len(*files) > 0 {
		from += ", then " + strings.Join(*files, ", ")
	}
	if _, err := fmt.Fprintf(e.stdout, "# cfngen's effective config: %s\n", from); err != nil {
		return err
	}
	_, err = e.stdout.Write(out)
	return err
}

// configFiles are the values of -c, in order: a flag.Value that each -c
// (or --config) appends to.
type configFiles []string

func (f *configFiles) String() string {
	if f == nil {
		return ""
	}
	return strings.Join(*f, " ")
}

func (f *configFiles) Set(s string) error {
	*f = append(*f, s)
	return nil
}

// Get is what parse checks: "" when any file given is "", so that
// -c "$UNSET" is an error, never the default.
func (f *configFiles) Get() any {
	for _, s := range *f {
		if s == "" {
			return ""
		}
	}
	return f.String()
}
