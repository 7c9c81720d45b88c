package cfnyaml

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// CloudFormation reads YAML templates as YAML 1.1, whose implicit types are
// wider than the YAML 1.2 core schema of yaml.v3: yes, no, on, off, y and n
// are booleans, 0777 is octal, 1:20 is a base-60 number, 2001-12-14 21:59:43
// is a timestamp. yaml11 lists the plain forms that a YAML 1.1 reader does
// not read as a string: the regular expressions of the YAML 1.1 type
// repository (yaml.org/type), widened where PyYAML or SnakeYAML read more
// (any letter case for the booleans and null, exponents without a sign or a
// dot, a leading zero read as a float). They compile on first use.
var yaml11 = sync.OnceValue(func() []resolver {
	return []resolver{
		{"!!bool", regexp.MustCompile(`(?i)^(y|yes|n|no|true|false|on|off)$`)},
		{"!!null", regexp.MustCompile(`(?i)^(~|null|)$`)},
		{"!!int", regexp.MustCompile(`^[-+]?(0b[01_]+|0[0-7_]+|(0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(:[0-5]?[0-9])+)$`)},
		{"!!float", regexp.MustCompile(`^[-+]?(` +
			`([0-9][0-9_]*)?\.[0-9._]*([eE][-+]?[0-9]+)?|` + // 1.5, .5, 1., 1.5e+3
			`[0-9][0-9_]*([eE][-+]?[0-9]+)?|` + // 09, 1e3 (SnakeYAML)
			`[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*|` + // base 60: 1:20.5
			`\.(inf|Inf|INF))$|^\.(nan|NaN|NAN)$`)},
		{"!!timestamp", regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$|` +
			`^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?$`)},
		{"!!merge", regexp.MustCompile(`^<<$`)},
		{"!!value", regexp.MustCompile(`^=$`)},
	}
})

type resolver struct {
	tag string
	re  *regexp.Regexp
}

// Resolve11 returns the tag a YAML 1.1 reader gives the plain (unquoted,
// untagged) scalar s: !!str, or !!bool, !!null, !!int, !!float,
// !!timestamp, !!merge or !!value.
func Resolve11(s string) string {
	if len(s) > 64 {
		return "!!str" // longer than any number or timestamp worth reading
	}
	if s != "" && !strings.ContainsRune("-+.0123456789~<=", rune(s[0])) &&
		(len(s) > 6 || !strings.ContainsRune("yYnNtTfFoO", rune(s[0]))) {
		// Only a boolean or null starts so, in at most 6 bytes (5
		// letters, and (?i) reads ſ as s).
		return "!!str"
	}
	for _, t := range yaml11() {
		if t.re.MatchString(s) {
			return t.tag
		}
	}
	return "!!str"
}

// float11 matches the floats that YAML 1.1 reads: a dot in the mantissa,
// a sign in the exponent.
var float11 = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?$`)
})

// written returns how a scalar of the tree is written so that a YAML 1.1
// reader reads it as a YAML 1.2 reader does: a multi-line string as a
// literal block; a plain string that YAML 1.1 would read as another type
// double-quoted, the way yaml.v3 quotes "true" or "2010-09-09"; a float
// such as 1e+21 as 1.0e+21. Strings that the encoder quotes anyway (such
// as "") keep its choice of quotes.
func written(tag, value string) (yaml.Style, string) {
	switch tag {
	case "!!str":
		if strings.Contains(value, "\n") {
			return yaml.LiteralStyle, value
		}
		if Resolve11(value) != "!!str" {
			return yaml.DoubleQuotedStyle, value
		}
	case "!!float":
		if !float11().MatchString(value) {
			if f, err := strconv.ParseFloat(value, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
				m, e, _ := strings.Cut(strconv.FormatFloat(f, 'e', -1, 64), "e")
				if !strings.Contains(m, ".") {
					m += ".0"
				}
				return 0, m + "e" + e
			}
		}
	}
	return 0, value
}

// Number is a number as a template reader holds it, in canonical form, so
// that 80 in YAML and 80 in JSON compare equal.
type Number string

// Timestamp is a YAML 1.1 timestamp: never equal to a string.
type Timestamp string

// Read11 reads a template the way CloudFormation's YAML 1.1 reader does:
// plain scalars take YAML 1.1 types (yaml.v3's parser is a port of libyaml,
// a YAML 1.1 parser; only its resolver is YAML 1.2, and Read11 uses
// [Resolve11] instead). Short-form intrinsics become their long forms.
// Mappings become map[string]any, sequences []any, and scalars string,
// bool, nil, [Number] or [Timestamp]. A key that is not read as a string,
// a repeated key, an alias or a merge key is an error.
func Read11(src []byte) (any, error) {
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
	if !strings.HasPrefix(n.Tag, "!") || strings.HasPrefix(n.Tag, "!!") {
		return v, nil
	}
	name := strings.TrimPrefix(n.Tag, "!")
	key := "Fn::" + name
	switch name {
	case "Ref", "Condition":
		key = name
	case "GetAtt":
		if s, ok := v.(string); ok {
			res, attr, _ := strings.Cut(s, ".")
			v = []any{res, attr}
		}
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
		tag = Resolve11(n.Value)
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

// ReadJSON reads a JSON template into the values [Read11] returns, so that
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

// Mismatch returns "" when a and b, as [Read11] or [ReadJSON] return them,
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
