// Package yaml11 reads a template as CloudFormation's YAML 1.1 reader
// does, and a JSON template into the same values, so that tests can check
// that what cfngen writes means what it holds. Only tests use it.
package yaml11

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/cfngen/cfngen/internal/cfnyaml"
)

// Number is a number as a template reader holds it, in canonical form, so
// that 80 in YAML and 80 in JSON compare equal.
type Number string

// Timestamp is a YAML 1.1 timestamp: never equal to a string.
type Timestamp string

// Read reads a template the way CloudFormation's YAML 1.1 reader does:
// plain scalars take YAML 1.1 types (yaml.v3's parser is a port of libyaml,
// a YAML 1.1 parser; only its resolver is YAML 1.2, and Read uses
// [cfnyaml.Resolve11] instead). Short-form intrinsics become their long forms.
// Mappings become map[string]any, sequences []any, and scalars string,
// bool, nil, [Number] or [Timestamp]. A key that is not read as a string,
// a repeated key, an alias or a merge key is an error.
func Read(src []byte) (any, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, errors.New("cfnyaml: want one YAML document")
	}
	return read11(doc.Content[0])
}

func read11(n *yaml.Node) (any, error) {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return nil, fmt.Errorf("line %d: anchors and aliases are not supported", n.Line)
	}
	var v any
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, err := read11(n.Content[i])
			if err != nil {
				return nil, err
			}
			ks, ok := k.(string)
			if !ok || n.Content[i].Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("line %d: key %q is read as %T, not a string", n.Content[i].Line, n.Content[i].Value, k)
			}
			if _, dup := m[ks]; dup {
				return nil, fmt.Errorf("line %d: key %q is repeated", n.Content[i].Line, ks)
			}
			if m[ks], err = read11(n.Content[i+1]); err != nil {
				return nil, err
			}
		}
		v = m
	case yaml.SequenceNode:
		s := []any{}
		for _, c := range n.Content {
			e, err := read11(c)
			if err != nil {
				return nil, err
			}
			s = append(s, e)
		}
		v = s
	case yaml.ScalarNode:
		var err error
		if v, err = scalar11(n); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("line %d: unexpected node", n.Line)
	}
	key, ok := cfnyaml.LongKey(n.Tag)
	if !ok {
		return v, nil
	}
	if s, ok := v.(string); ok && key == "Fn::GetAtt" {
		res, attr, _ := strings.Cut(s, ".")
		v = []any{res, attr}
	}
	return map[string]any{key: v}, nil
}

// scalar11 constructs a scalar as YAML 1.1 does.
func scalar11(n *yaml.Node) (any, error) {
	tag := "!!str"
	switch {
	case n.Style&yaml.TaggedStyle != 0:
		if strings.HasPrefix(n.Tag, "!!") {
			tag = n.Tag
		} // a local tag (!Ref, ...) holds a string
	case n.Style == 0:
		tag = cfnyaml.Resolve11(n.Value)
	}
	s := strings.ReplaceAll(n.Value, "_", "")
	switch tag {
	case "!!str":
		return n.Value, nil
	case "!!null":
		return nil, nil
	case "!!bool":
		switch strings.ToLower(n.Value) {
		case "y", "yes", "true", "on":
			return true, nil
		}
		return false, nil
	case "!!timestamp":
		return Timestamp(n.Value), nil
	case "!!int":
		sign := ""
		if s != "" && (s[0] == '-' || s[0] == '+') {
			sign, s = s[:1], s[1:]
		}
		x := new(big.Int)
		ok := true
		switch {
		case strings.Contains(s, ":"):
			for _, d := range strings.Split(s, ":") {
				p, err := strconv.ParseInt(d, 10, 64)
				ok = ok && err == nil
				x.Mul(x, big.NewInt(60)).Add(x, big.NewInt(p))
			}
		case strings.HasPrefix(s, "0b"):
			_, ok = x.SetString(s[2:], 2)
		case strings.HasPrefix(s, "0x"):
			_, ok = x.SetString(s[2:], 16)
		case len(s) > 1 && s[0] == '0':
			_, ok = x.SetString(s[1:], 8)
		default:
			_, ok = x.SetString(s, 10)
		}
		if !ok {
			return nil, fmt.Errorf("line %d: %q is not an integer", n.Line, n.Value)
		}
		if sign == "-" {
			x.Neg(x)
		}
		return Number(x.String()), nil
	case "!!float":
		lower := strings.ToLower(s)
		switch {
		case strings.HasSuffix(lower, ".inf"):
			if strings.HasPrefix(lower, "-") {
				return canonFloat(math.Inf(-1)), nil
			}
			return canonFloat(math.Inf(1)), nil
		case lower == ".nan":
			return Number("NaN"), nil
		case strings.Contains(s, ":"):
			parts := strings.Split(s, ":")
			f, err := strconv.ParseFloat(strings.TrimLeft(parts[len(parts)-1], "-+"), 64)
			if err != nil {
				return nil, fmt.Errorf("line %d: %q is not a number", n.Line, n.Value)
			}
			scale := 1.0
			for i := len(parts) - 2; i >= 0; i-- {
				scale *= 60
				d, _ := strconv.ParseFloat(strings.TrimLeft(parts[i], "-+"), 64)
				f += d * scale
			}
			if strings.HasPrefix(s, "-") {
				f = -f
			}
			return canonFloat(f), nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return nil, fmt.Errorf("line %d: %q is not a number", n.Line, n.Value)
		}
		return canonFloat(f), nil
	}
	return nil, fmt.Errorf("line %d: %q is read as %s, which has no value in a template", n.Line, n.Value, tag)
}

func canonFloat(f float64) Number {
	return Number(strconv.FormatFloat(f, 'g', -1, 64))
}

// ReadJSON reads a JSON template into the values [Read] returns, so that
// the two forms of a template compare with [Mismatch].
func ReadJSON(src []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("cfnyaml: trailing data after JSON value")
	}
	return canonJSON(v), nil
}

func canonJSON(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = canonJSON(e)
		}
	case []any:
		for i, e := range v {
			v[i] = canonJSON(e)
		}
	case json.Number:
		s := v.String()
		if !strings.ContainsAny(s, ".eE") {
			if x, ok := new(big.Int).SetString(s, 10); ok {
				return Number(x.String())
			}
		}
		f, _ := strconv.ParseFloat(s, 64)
		return canonFloat(f)
	}
	return v
}

// Mismatch returns "" when a and b, as [Read] or [ReadJSON] return them,
// are the same template, and otherwise where and how they first differ.
func Mismatch(a, b any) string {
	return mismatch(a, b, "")
}

func mismatch(a, b any, path string) string {
	switch a := a.(type) {
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok {
			break
		}
		keys := make([]string, 0, len(a)+len(bm))
		for k := range a {
			keys = append(keys, k)
		}
		for k := range bm {
			if _, ok := a[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			av, aok := a[k]
			bv, bok := bm[k]
			if !aok || !bok {
				return fmt.Sprintf("%s: key %q only on one side", path, k)
			}
			if m := mismatch(av, bv, path+"."+k); m != "" {
				return m
			}
		}
		return ""
	case []any:
		bs, ok := b.([]any)
		if !ok {
			break
		}
		if len(a) != len(bs) {
			return fmt.Sprintf("%s: %d items against %d", path, len(a), len(bs))
		}
		for i := range a {
			if m := mismatch(a[i], bs[i], fmt.Sprintf("%s[%d]", path, i)); m != "" {
				return m
			}
		}
		return ""
	default:
		if a == b {
			return ""
		}
	}
	return fmt.Sprintf("%s: %#v (%T) against %#v (%T)", path, a, a, b, b)
}
