package cfnyaml

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
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
