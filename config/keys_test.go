package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/config"
)

// unknownKey is a key no mapping of a config has.
const unknownKey = "zzNotAKey"

// nested writes keys as nested block mappings around leaf.
func nested(keys []string, leaf string) string {
	var b strings.Builder
	for i, k := range keys {
		b.WriteString(strings.Repeat("  ", i) + k + ":\n")
	}
	b.WriteString(strings.Repeat("  ", len(keys)) + leaf + "\n")
	return b.String()
}

// knownKeys puts an unknown key in the mapping at keys, through Parse and
// as an overlay through LoadFiles, and returns the keys the parser says it
// knows there. ok is false when the parser takes the unknown key: a
// mapping of free names (tags) or a lost setting.
func knownKeys(t *testing.T, keys []string) (known []string, ok bool) {
	t.Helper()
	doc := nested(keys, unknownKey+": x")
	want := strings.Join(append(slices.Clone(keys), unknownKey), ".")
	_, err := config.Parse([]byte(doc), t.TempDir())
	var ce *config.Error
	if err == nil {
		return nil, false
	}
	if !errors.As(err, &ce) || ce.Key != want || !strings.HasPrefix(ce.Reason, "unknown key (known keys here: ") {
		return nil, false // not a mapping: a value of another type
	}
	list := strings.TrimSuffix(strings.TrimPrefix(ce.Reason, "unknown key (known keys here: "), ")")
	known = strings.Split(list, ", ")

	dir := t.TempDir()
	base, overlay := filepath.Join(dir, "base.config.yaml"), filepath.Join(dir, "base.over.config.yaml")
	if err := os.WriteFile(base, []byte("stackName: web\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(overlay, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := config.LoadFiles(base, overlay); !errors.As(err, &ce) || ce.Key != want || !strings.HasPrefix(ce.Reason, "unknown key") {
		t.Errorf("%s in an overlay: got %v, want an unknown-key error", want, err)
	}
	return known, true
}

// TestUnknownKeysEverywhere walks every mapping of the config as the
// parser itself lists its keys (its unknown-key error names them), so
// that a new section is walked too: an unknown key in any mapping is
// refused with an error that names it, in a file and in an overlay. The
// mappings found are checked against the Config struct by reflection:
// each struct field is a mapping that refuses unknown keys, each map of
// strings (tags, vars) takes any name, and each key is a field.
func TestUnknownKeysEverywhere(t *testing.T) {
	type section struct {
		keys []string
		typ  reflect.Type
	}
	queue := []section{{nil, reflect.TypeOf(config.Config{})}}
	mappings := 0
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		where := strings.Join(s.keys, ".")
		if where == "" {
			where = "the top level"
		}
		known, ok := knownKeys(t, s.keys)
		if !ok {
			t.Errorf("%s: the unknown key %s is taken silently", where, unknownKey)
			continue
		}
		mappings++
		fields := map[string]reflect.StructField{}
		for _, f := range reflect.VisibleFields(s.typ) {
			if f.IsExported() && f.Tag.Get("yaml") != "-" && !f.Anonymous {
				fields[strings.ToLower(f.Name)] = f
			}
		}
		for _, k := range known {
			f, ok := fields[strings.ToLower(k)]
			if !ok {
				t.Errorf("%s: the parser knows %s, which no field of %s holds", where, k, s.typ.Name())
				continue
			}
			delete(fields, strings.ToLower(k))
			typ := f.Type
			if typ.Kind() == reflect.Pointer {
				typ = typ.Elem()
			}
			keys := append(slices.Clone(s.keys), k)
			switch typ.Kind() {
			case reflect.Struct:
				queue = append(queue, section{keys, typ})
			case reflect.Map:
				if _, ok := knownKeys(t, keys); ok {
					t.Errorf("%s: a mapping of names refuses the name %s", strings.Join(keys, "."), unknownKey)
				}
			default:
				if _, ok := knownKeys(t, keys); ok {
					t.Errorf("%s: a %s read as a mapping", strings.Join(keys, "."), typ.Kind())
				}
			}
		}
		for name := range fields {
			t.Errorf("%s: no key of the parser sets the field %s of %s", where, name, s.typ.Name())
		}
	}
	if mappings < 6 {
		t.Errorf("walked %d mappings; want at least the top level, vpc, instances, page, autoScaling and loadBalancer", mappings)
	}
}

// TestMisspeltKeyIsRefused: a misspelt key is an error that names it and
// its line, never a setting silently lost.
func TestMisspeltKeyIsRefused(t *testing.T) {
	for doc, want := range map[string]string{
		"loadBalancer:\n  healthcheckPath: /health\n":           "loadBalancer.healthcheckPath",
		"instances:\n  autoScaling:\n    mins: 2\n":             "instances.autoScaling.mins",
		"instances:\n  page:\n    titel: Hello\n":               "instances.page.titel",
		"vpc:\n  natGateway: 1\n":                               "vpc.natGateway",
		"stackName: web\nloadbalancer:\n  healthCheckPath: /\n": "loadbalancer",
	} {
		_, err := config.Parse([]byte(doc), t.TempDir())
		var ce *config.Error
		if !errors.As(err, &ce) || ce.Key != want || !strings.HasPrefix(ce.Reason, "unknown key") || ce.Line == 0 {
			t.Errorf("%q: got %v, want %s: unknown key, with its line", doc, err, want)
		}
	}
}
