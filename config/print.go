package config

import (
	"bytes"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// YAML writes the config as a file that [Parse] reads back to the same
// config: every key it uses, defaults included, in the order of the
// README's example. Empty strings, unset lists and keys that do not apply
// (those of a network cfngen builds, for an existing VPC) are left out,
// and relative paths are written as read from the current directory.
func (c *Config) YAML() ([]byte, error) {
	cp := *c
	cp.Instances.UserData = ""
	if c.Instances.UserData != "" {
		cp.Instances.UserData = c.path(c.Instances.UserData)
	}
	n := toNode(reflect.ValueOf(cp), "", c.omit)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// omit reports whether the printed config leaves out key.
func (c *Config) omit(key string) bool {
	if k, ok := strings.CutPrefix(key, "vpc."); ok && c.ExistingVPC() {
		return slices.ContainsFunc(notInExistingVPC, func(x struct{ key, why string }) bool { return x.key == k })
	}
	return key == "loadBalancer.accessLogsDays" && !c.LoadBalancer.CreateAccessLogsBucket
}

// toNode writes v, a value of the config, as a YAML node; nil for a value
// it leaves out.
func toNode(v reflect.Value, key string, omit func(string) bool) *yaml.Node {
	if omit(key) {
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return toNode(v.Elem(), key, omit)
	case reflect.Struct:
		m := &yaml.Node{Kind: yaml.MappingNode}
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || f.Tag.Get("yaml") == "-" {
				continue
			}
			name := keyName(f)
			if child := toNode(v.Field(i), join(key, name), omit); child != nil {
				m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: name}, child)
			}
		}
		return m
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		m := &yaml.Node{Kind: yaml.MappingNode}
		for _, k := range slices.Sorted(maps.Keys(v.Interface().(map[string]string))) {
			m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, scalar("!!str", v.MapIndex(reflect.ValueOf(k)).String()))
		}
		return m
	case reflect.Slice:
		if v.IsNil() {
			return nil
		}
		s := &yaml.Node{Kind: yaml.SequenceNode}
		if v.Len() == 0 {
			s.Style = yaml.FlowStyle // []
		}
		for i := range v.Len() {
			s.Content = append(s.Content, toNode(v.Index(i), key, func(string) bool { return false }))
		}
		return s
	case reflect.String:
		if v.String() == "" {
			return nil
		}
		return scalar("!!str", v.String())
	case reflect.Int:
		return scalar("!!int", strconv.Itoa(int(v.Int())))
	case reflect.Bool:
		return scalar("!!bool", strconv.FormatBool(v.Bool()))
	}
	return nil
}

func scalar(tag, value string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
}

// keyName is a field's key in the file: its yaml tag, or its name with
// the leading capitals in lower case (AZCount is azCount, CIDR is cidr).
func keyName(f reflect.StructField) string {
	if tag := f.Tag.Get("yaml"); tag != "" {
		return tag
	}
	r := []rune(f.Name)
	n := 0
	for n < len(r) && unicode.IsUpper(r[n]) {
		n++
	}
	if n > 1 && n < len(r) {
		n-- // the last capital starts the next word
	}
	for i := range max(n, 1) {
		r[i] = unicode.ToLower(r[i])
	}
	return string(r)
}
