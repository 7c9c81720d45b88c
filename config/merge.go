package config

import (
	"errors"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// sources are the files a config was read from, and which of them set
// each node of the merged tree.
type sources struct {
	paths []string
	of    map[*yaml.Node]string
}

// LoadFiles reads config files over the default, in order, and checks the
// result. Later files win: mappings merge key by key, and any other value
// (a list, a string, a number) replaces the one before it. Each file is
// first read on its own, so that an unknown key or a wrong type names its
// file; every error then names the file and line that set the value.
func LoadFiles(paths ...string) (*Config, error) {
	if len(paths) == 0 {
		return Default(), nil
	}
	if len(paths) == 1 {
		data, err := readFile(paths[0])
		if err != nil {
			return nil, err
		}
		c, err := parse(data, filepath.Dir(paths[0]), paths[0])
		var ce *Error
		if errors.As(err, &ce) && ce.File == "" {
			ce.File = paths[0]
		}
		return c, err
	}
	src := &sources{paths: paths, of: map[*yaml.Node]string{}}
	var merged *yaml.Node
	for _, path := range paths {
		top, err := readTree(path)
		if err != nil {
			return nil, err
		}
		if top == nil {
			continue
		}
		mark(top, path, src.of)
		if merged == nil {
			merged = top
			continue
		}
		mergeNode(merged, top)
	}
	c := Default()
	c.Dir, c.node, c.src = filepath.Dir(paths[len(paths)-1]), merged, src
	var err error
	if merged != nil {
		err = c.decode(merged)
	}
	if err == nil {
		if ud := c.keyNode("instances.userData"); ud != nil && src.of[ud] != "" {
			c.Dir = filepath.Dir(src.of[ud]) // relative to the file that names it
		}
		err = c.complete()
	}
	var ce *Error
	if errors.As(err, &ce) {
		c.Place(ce)
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// readTree reads one file and checks it on its own: YAML, keys and types.
func readTree(path string) (*yaml.Node, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	top, err := parseDoc(data)
	if err == nil && top != nil {
		err = Default().decode(top)
	}
	var ce *Error
	if errors.As(err, &ce) {
		ce.File = path
	}
	return top, err
}

// mark records that file set n and everything under it.
func mark(n *yaml.Node, file string, of map[*yaml.Node]string) {
	of[n] = file
	for _, c := range n.Content {
		mark(c, file, of)
	}
}

// mergeNode lays the mapping over onto the mapping base: a key both set
// to mappings merges, any other key of over replaces base's (key node and
// value, so that its line is over's).
func mergeNode(base, over *yaml.Node) {
	for i := 0; i+1 < len(over.Content); i += 2 {
		k, v := over.Content[i], over.Content[i+1]
		j := 0
		for ; j+1 < len(base.Content); j += 2 {
			if base.Content[j].Value == k.Value {
				break
			}
		}
		switch {
		case j+1 >= len(base.Content):
			base.Content = append(base.Content, k, v)
		case base.Content[j+1].Kind == yaml.MappingNode && v.Kind == yaml.MappingNode:
			base.Content[j] = k
			mergeNode(base.Content[j+1], v)
		default:
			base.Content[j], base.Content[j+1] = k, v
		}
	}
}

// Place fills in the file and line of an error about c's key that does
// not say them: the file and line that set the key, or the nearest
// enclosing key a file sets. A key no file sets is the default's; the
// error then names every file.
func (c *Config) Place(e *Error) {
	if e.Line == 0 {
		e.Line = c.Line(e.Key)
	}
	if e.File != "" {
		return
	}
	if c.src == nil {
		e.File = c.File
		return
	}
	e.File = c.src.of[c.keyNode(e.Key)]
	if e.File == "" {
		e.File = strings.Join(c.src.paths, ", ")
	}
}

// Files returns the files c was read from, in order.
func (c *Config) Files() []string {
	if c.src == nil {
		return nil
	}
	return c.src.paths
}
