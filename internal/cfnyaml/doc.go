// Package cfnyaml reads and writes CloudFormation templates as people
// write them: sections in the conventional order, Type first in every
// resource, 2-space YAML with short-form intrinsics (!Ref, !GetAtt A.B,
// !Sub, ...), and multi-line strings as literal blocks.
//
// A template is held as a [yaml.Node] tree in long form (intrinsics as
// one-key mappings such as {"Ref": "VPC"}). [Decode] builds that tree from
// the JSON that goformation marshals, [Parse] builds it from YAML or JSON
// text, [Sort] puts it in canonical order, and [YAML] and [JSON] write it.
package cfnyaml
