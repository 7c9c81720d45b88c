package predict

import (
	_ "embed"
	"encoding/json"
	"strings"
	"sync"
)

// schemas.json is a snapshot of the create-only properties in
// CloudFormation's resource schemas, as bundled by the cfn-lint it names.
// gen_schemas.py writes it: after upgrading cfn-lint, change the version
// pinned there, run `go generate ./predict/` and review the diff.
//
//go:generate python3 gen_schemas.py
//go:embed schemas.json
var schemasJSON []byte

// Snapshot is the vendored copy of CloudFormation's resource schemas.
type Snapshot struct {
	CfnLint string            `json:"cfnLint"` // version of cfn-lint the schemas come from
	Region  string            `json:"region"`  // region whose schemas were read
	Types   map[string]Schema `json:"types"`   // by resource type
}

// Schema is what a prediction needs of one resource type's schema.
// Properties are named by their path below Properties, such as "CidrBlock"
// or "DnsOptions/PrivateDnsPreference"; "*" stands for every list element.
type Schema struct {
	// CreateOnly properties replace the resource when they change.
	CreateOnly []string `json:"createOnly"`
	// ConditionalCreateOnly properties replace it only in some cases.
	ConditionalCreateOnly []string `json:"conditionalCreateOnly,omitempty"`
}

// snapshot is read on first use, not by every cfngen process.
var snapshot = sync.OnceValue(func() *Snapshot {
	s := &Snapshot{}
	if err := json.Unmarshal(schemasJSON, s); err != nil {
		// A committed file, read by the tests: only a broken build gets here.
		panic("predict: schemas.json: " + err.Error())
	}
	return s
})

// Schemas returns the vendored snapshot.
func Schemas() *Snapshot { return snapshot() }

// paths returns the create-only and conditionally create-only paths
// that start at the top-level property name, split at "/".
func (sc Schema) paths(name string) (always, conditionally [][]string) {
	split := func(list []string) [][]string {
		var out [][]string
		for _, p := range list {
			if parts := strings.Split(p, "/"); parts[0] == name {
				out = append(out, parts)
			}
		}
		return out
	}
	return split(sc.CreateOnly), split(sc.ConditionalCreateOnly)
}
