// Package pyyaml reads YAML with PyYAML, a YAML 1.1 reader such as
// CloudFormation's, for tests that check what such a reader makes of
// cfngen's templates. It needs python3 with the yaml module, which
// cfn-lint brings.
package pyyaml

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/cfngen/cfngen/internal/testkit/yaml11"
)

// InstallHint says how to get PyYAML.
const InstallHint = "PyYAML not found: install it with `pip install pyyaml` (cfn-lint brings it: `pip install cfn-lint==1.51.0`)"

// reader loads YAML from stdin with a SafeLoader that turns CloudFormation's
// short-form tags into long-form intrinsics, and prints it as JSON. Values
// JSON cannot hold the same way (numbers beyond a float, timestamps, keys
// that are not strings) are marked so that they never equal a string.
const reader = `
import json, sys, yaml

class Loader(yaml.SafeLoader):
    pass

def intrinsic(loader, suffix, node):
    key = suffix if suffix in ("Ref", "Condition") else "Fn::" + suffix
    if isinstance(node, yaml.ScalarNode):
        v = loader.construct_scalar(node)
        if suffix == "GetAtt":
            v = v.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        v = loader.construct_sequence(node, deep=True)
    else:
        v = loader.construct_mapping(node, deep=True)
    return {key: v}

Loader.add_multi_constructor("!", intrinsic)

def plain(v):
    if isinstance(v, dict):
        return {k if isinstance(k, str) else "!!%s %r" % (type(k).__name__, k): plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    if v is None or isinstance(v, (bool, str, int)):
        return v
    if isinstance(v, float) and v == v and v not in (float("inf"), float("-inf")):
        return v
    return {"!!" + type(v).__name__: str(v)}

json.dump([plain(d) for d in yaml.load_all(sys.stdin.buffer, Loader=Loader)], sys.stdout)
`

// Load reads the one document in src with PyYAML and returns what it holds
// in the form of [yaml11.Read], for comparison with [yaml11.Mismatch].
func Load(src []byte) (any, error) {
	docs, err := LoadAll(src)
	if err != nil {
		return nil, err
	}
	if len(docs) != 1 {
		return nil, fmt.Errorf("PyYAML read %d documents, want 1", len(docs))
	}
	return docs[0], nil
}

// LoadAll reads every document of a stream (documents separated by ---
// lines) in one run of PyYAML.
func LoadAll(src []byte) ([]any, error) {
	python, err := exec.LookPath("python3")
	if err != nil {
		return nil, errors.New(InstallHint)
	}
	cmd := exec.Command(python, "-c", reader)
	cmd.Stdin = bytes.NewReader(src)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if strings.Contains(stderr.String(), "No module named 'yaml'") {
			return nil, errors.New(InstallHint)
		}
		return nil, fmt.Errorf("PyYAML: %v\n%s", err, stderr.String())
	}
	v, err := yaml11.ReadJSON(stdout.Bytes())
	if err != nil {
		return nil, err
	}
	docs, _ := floats(v).([]any)
	return docs, nil
}

// floats turns the marks of infinite and NaN floats into numbers.
func floats(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if f, ok := v["!!float"].(string); ok && len(v) == 1 {
			return yaml11.Number(map[string]string{"inf": "+Inf", "-inf": "-Inf", "nan": "NaN"}[f])
		}
		for k, e := range v {
			v[k] = floats(e)
		}
	case []any:
		for i, e := range v {
			v[i] = floats(e)
		}
	}
	return v
}

// Specials are plain scalars that a YAML 1.1 reader reads as something
// other than a string, one or more of each form: booleans in every case,
// null, integers (decimal with _, octal, hex, binary, base 60), floats
// (with and without exponent, base 60, .inf, .nan), timestamps, and the
// merge and value keys.
var Specials = []string{
	"y", "Y", "n", "N", "yes", "Yes", "YES", "yEs", "no", "No", "NO", "nO",
	"on", "On", "ON", "oN", "off", "Off", "OFF", "true", "True", "FALSE", "fAlSe",
	"~", "null", "Null", "NULL", "",
	"0", "-0", "+12", "1_000", "0777", "0x1F", "-0x_1f", "0b1010", "1:20", "-1:20", "190:20:30", "12:30:00",
	"1.5", ".5", "1.", "1e3", "1.5e3", "1.5e+3", "-2.5E-3", "09", "1:20.5", ".inf", "-.Inf", "+.INF", ".nan", ".NaN", "10.0.0.0",
	"2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2001-12-15T02:59:43.1Z",
	"<<", "=",
}
