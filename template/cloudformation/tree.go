package cloudformation

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Node returns the template as a long-form tree (intrinsics as one-key
// mappings such as {"Ref": "VPC"}), the tree that encoding/json's
// marshalling of goformation's structs describes: struct fields in their
// order and under their JSON names, omitempty honoured, map keys sorted,
// numbers as encoding/json writes them, and each resource as
// {Type, attributes, Properties}. Nothing is evaluated.
func (t *Template) Node() (*yaml.Node, error) {
	w := &walker{}
	doc := w.mapping(10)
	w.pair(doc, "AWSTemplateFormatVersion", w.str(t.AWSTemplateFormatVersion))
	if t.Description != "" {
		w.pair(doc, "Description", w.str(t.Description))
	}
	if len(t.Parameters) > 0 {
		n, err := w.value(reflect.ValueOf(t.Parameters))
		if err != nil {
			return nil, fmt.Errorf("cloudformation: Parameters.%w", err)
		}
		w.pair(doc, "Parameters", n)
	}
	if len(t.Conditions) > 0 {
		m := w.mapping(2 * len(t.Conditions))
		for _, id := range slices.Sorted(maps.Keys(t.Conditions)) {
			w.pair(m, id, w.str(t.Conditions[id]))
		}
		w.pair(doc, "Conditions", m)
	}
	if len(t.Resources) > 0 {
		m := w.mapping(2 * len(t.Resources))
		for _, id := range slices.Sorted(maps.Keys(t.Resources)) {
			n, err := w.resource(t.Resources[id])
			if err != nil {
				return nil, fmt.Errorf("cloudformation: Resources.%s.%w", id, err)
			}
			w.pair(m, id, n)
		}
		w.pair(doc, "Resources", m)
	}
	if len(t.Outputs) > 0 {
		n, err := w.value(reflect.ValueOf(t.Outputs))
		if err != nil {
			return nil, fmt.Errorf("cloudformation: Outputs.%w", err)
		}
		w.pair(doc, "Outputs", n)
	}
	return doc, nil
}

// attributes are the resource attributes that goformation's resource
// structs hold in fields named AWSCloudFormation + attribute, in the order
// a resource is written (cfnyaml's).
var attributes = []string{"Condition", "DependsOn", "CreationPolicy", "UpdatePolicy", "UpdateReplacePolicy", "DeletionPolicy", "Metadata"}

// resource writes r as goformation's MarshalJSON does: Type, the non-empty
// attributes, and Properties, which the struct's JSON fields make.
func (w *walker) resource(r Resource) (*yaml.Node, error) {
	v := reflect.ValueOf(r)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("%T is not a pointer to a struct", r)
	}
	v = v.Elem()
	n := w.mapping(2 * (len(attributes) + 2))
	w.pair(n, "Type", w.str(r.AWSCloudFormationType()))
	for _, a := range attributes {
		f := v.FieldByName("AWSCloudFormation" + a)
		if !f.IsValid() || isEmpty(f) {
			continue
		}
		an, err := w.value(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a, err)
		}
		w.pair(n, a, an)
	}
	const key = "Properties"
	p := planOf(v.Type())
	if p.fieldsErr != nil {
		return nil, fmt.Errorf("%s: %w", key, p.fieldsErr)
	}
	props, err := w.fields(v, p.fields)
	if err != nil {
		return nil, fmt.Errorf("%s.%w", key, err)
	}
	w.pair(n, key, props)
	return n, nil
}

// walker builds nodes, from slabs to allocate less often.
type walker struct {
	slab []yaml.Node
}

func (w *walker) node(kind yaml.Kind, tag, value string) *yaml.Node {
	if len(w.slab) == 0 {
		w.slab = make([]yaml.Node, 64)
	}
	n := &w.slab[0]
	w.slab = w.slab[1:]
	n.Kind, n.Tag, n.Value = kind, tag, value
	return n
}

func (w *walker) mapping(size int) *yaml.Node {
	n := w.node(yaml.MappingNode, "!!map", "")
	n.Content = make([]*yaml.Node, 0, size)
	return n
}

func (w *walker) pair(m *yaml.Node, key string, value *yaml.Node) {
	m.Content = append(m.Content, w.node(yaml.ScalarNode, "!!str", key), value)
}

// str returns the intrinsic that s encodes, or the string s.
func (w *walker) str(s string) *yaml.Node {
	if strings.HasPrefix(s, mark) {
		if n, rest, ok := w.intrinsic(s); ok && rest == "" {
			return n
		}
	}
	return w.node(yaml.ScalarNode, "!!str", s)
}

// intrinsic reads the intrinsic at the start of s (see mark) and returns
// it and the rest of s.
func (w *walker) intrinsic(s string) (*yaml.Node, string, bool) {
	name, rest, ok := strings.Cut(strings.TrimPrefix(s, mark), " ")
	if !ok || name == "" {
		return nil, "", false
	}
	a, rest, ok := w.arg(rest)
	if !ok {
		return nil, "", false
	}
	n := w.mapping(2)
	w.pair(n, name, a)
	return n, rest, true
}

func (w *walker) arg(s string) (*yaml.Node, string, bool) {
	switch {
	case s == "":
		return nil, "", false
	case s[0] == '"':
		q, err := strconv.QuotedPrefix(s)
		if err != nil {
			return nil, "", false
		}
		v, _ := strconv.Unquote(q)
		return w.str(v), s[len(q):], true
	case s[0] == '[':
		seq := w.node(yaml.SequenceNode, "!!seq", "")
		s = s[1:]
		for !strings.HasPrefix(s, "]") {
			if len(seq.Content) > 0 {
				if !strings.HasPrefix(s, ",") {
					return nil, "", false
				}
				s = s[1:]
			}
			var a *yaml.Node
			var ok bool
			if a, s, ok = w.arg(s); !ok {
				return nil, "", false
			}
			seq.Content = append(seq.Content, a)
		}
		return seq, s[1:], true
	}
	i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if i == -1 {
		i = len(s)
	}
	if i == 0 {
		return nil, "", false
	}
	return w.node(yaml.ScalarNode, "!!int", s[:i]), s[i:], true
}

// value returns the node of v as encoding/json would marshal it.
func (w *walker) value(v reflect.Value) (*yaml.Node, error) {
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return w.node(yaml.ScalarNode, "!!null", "null"), nil
		}
		return w.value(v.Elem())
	case reflect.String:
		if t := v.Type(); t.PkgPath() != "" {
			if err := planOf(t).marshalErr; err != nil {
				return nil, err
			}
		}
		return w.str(v.String()), nil
	case reflect.Bool:
		return w.node(yaml.ScalarNode, "!!bool", strconv.FormatBool(v.Bool())), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return w.node(yaml.ScalarNode, "!!int", strconv.FormatInt(v.Int(), 10)), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return w.node(yaml.ScalarNode, "!!int", strconv.FormatUint(v.Uint(), 10)), nil
	case reflect.Float32, reflect.Float64:
		s, err := formatFloat(v.Float(), v.Type().Bits())
		if err != nil {
			return nil, err
		}
		tag := "!!int"
		if strings.ContainsAny(s, ".eE") {
			tag = "!!float"
		}
		return w.node(yaml.ScalarNode, tag, s), nil
	case reflect.Struct:
		p := planOf(v.Type())
		if err := errors.Join(p.marshalErr, p.fieldsErr); err != nil {
			return nil, err
		}
		return w.fields(v, p.fields)
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return nil, fmt.Errorf("%s: map keys are not strings", v.Type())
		}
		if v.IsNil() {
			return w.node(yaml.ScalarNode, "!!null", "null"), nil
		}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		m := w.mapping(2 * len(keys))
		for _, k := range keys {
			n, err := w.value(v.MapIndex(k))
			if err != nil {
				return nil, fmt.Errorf("%s.%w", k.String(), err)
			}
			w.pair(m, k.String(), n)
		}
		return m, nil
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return w.node(yaml.ScalarNode, "!!null", "null"), nil
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil, fmt.Errorf("%s: byte slices are not supported", v.Type())
		}
		seq := w.node(yaml.SequenceNode, "!!seq", "")
		seq.Content = make([]*yaml.Node, v.Len())
		for i := range v.Len() {
			n, err := w.value(v.Index(i))
			if err != nil {
				return nil, fmt.Errorf("%d.%w", i, err)
			}
			seq.Content[i] = n
		}
		return seq, nil
	}
	return nil, fmt.Errorf("%s is not supported", v.Type())
}

func (w *walker) fields(v reflect.Value, fields []field) (*yaml.Node, error) {
	m := w.mapping(0)
	for _, f := range fields {
		fv := v.Field(f.index)
		if f.omitEmpty && isEmpty(fv) {
			continue
		}
		n, err := w.value(fv)
		if err != nil {
			return nil, fmt.Errorf("%s.%w", f.name, err)
		}
		w.pair(m, f.name, n)
	}
	return m, nil
}

// field is a struct field as encoding/json marshals it.
type field struct {
	name      string
	index     int
	omitEmpty bool
}

// plan is how encoding/json marshals a type: its fields, if it is a
// struct, or why Node cannot write it as encoding/json does.
type plan struct {
	fields     []field
	fieldsErr  error // a struct field option Node does not support
	marshalErr error // the type marshals itself
}

var plans sync.Map // reflect.Type → plan

func planOf(t reflect.Type) plan {
	if p, ok := plans.Load(t); ok {
		return p.(plan)
	}
	var p plan
	for _, m := range []reflect.Type{reflect.TypeFor[json.Marshaler](), reflect.TypeFor[encoding.TextMarshaler]()} {
		if t.Implements(m) || reflect.PointerTo(t).Implements(m) {
			p.marshalErr = fmt.Errorf("%s marshals itself, which is not supported", t)
		}
	}
	for i := 0; t.Kind() == reflect.Struct && i < t.NumField() && p.fieldsErr == nil; i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		switch {
		case sf.Anonymous:
			p.fieldsErr = fmt.Errorf("%s: embedded field %s is not supported", t, sf.Name)
		case !sf.IsExported() || tag == "-":
		case opts != "" && opts != "omitempty":
			p.fieldsErr = fmt.Errorf("%s: field %s: option %q is not supported", t, sf.Name, opts)
		default:
			if name == "" {
				name = sf.Name
			}
			p.fields = append(p.fields, field{name: name, index: i, omitEmpty: opts == "omitempty"})
		}
	}
	plans.Store(t, p)
	return p
}

// isEmpty reports whether omitempty leaves v out.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// formatFloat writes f as encoding/json does.
func formatFloat(f float64, bits int) (string, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return "", fmt.Errorf("unsupported number %v", f)
	}
	format := byte('f')
	if a := math.Abs(f); a != 0 && (bits == 64 && (a < 1e-6 || a >= 1e21) || bits == 32 && (float32(a) < 1e-6 || float32(a) >= 1e21)) {
		format = 'e'
	}
	b := strconv.AppendFloat(nil, f, format, -1, bits)
	if format == 'e' { // e-09 to e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return string(b), nil
}
