// Package cfnyaml reads and writes CloudFormation templates as people
// write them: sections in the conventional order, Type first in every
// resource, 2-space YAML with short-form intrinsics (!Ref, !GetAtt A.B,
// !Sub, ...), and multi-line strings as literal blocks.
//
// CloudFormation reads YAML as YAML 1.1, whose implicit types are wider than
// those of YAML 1.2: [YAML] quotes every string that YAML 1.1 would read as a
// boolean, null, number or timestamp (see [Resolve11]), so that the YAML and
// JSON forms are the same template. Package internal/yaml11 reads a
// template as a YAML 1.1 reader does, for the tests that check it.
//
// A template is held as a [yaml.Node] tree in long form (intrinsics as
// one-key mappings such as {"Ref": "VPC"}). [Parse] builds that tree from
// YAML or JSON text (package template/cloudformation builds it from
// goformation's structs), [Sort] puts it in canonical order, and [YAML] and
// [JSON] write it.
package cfnyaml
