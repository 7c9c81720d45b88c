package cloudformation

import (
	"strconv"
	"strings"
)

// An intrinsic function travels in a string field of a resource struct, as
// with goformation's helpers; but where goformation base64-encodes JSON,
// these helpers write text that no template string can be taken for and
// that [Template.Node] reads in one pass: the noncharacter U+FDD0, which
// Unicode sets aside for a program's internal use, the function's name, a
// space and its argument: a Go-quoted string (itself perhaps an
// intrinsic), an integer, or a list of those in brackets. Ref("VPC") is
// "\uFDD0Ref \"VPC\"", and a string that does not parse so is a string.
const mark = "\uFDD0"

// Ref returns {"Ref": logicalID}.
func Ref(logicalID string) string { return encode("Ref", arg(logicalID)) }

// GetAtt returns {"Fn::GetAtt": [logicalID, attribute]}.
func GetAtt(logicalID, attribute string) string {
	return encode("Fn::GetAtt", list(arg(logicalID), arg(attribute)))
}

// Sub returns {"Fn::Sub": s}.
func Sub(s string) string { return encode("Fn::Sub", arg(s)) }

// Base64 returns {"Fn::Base64": s}; s may be an intrinsic, such as [Sub].
func Base64(s string) string { return encode("Fn::Base64", arg(s)) }

// GetAZs returns {"Fn::GetAZs": region}; "" is the stack's region.
func GetAZs(region string) string { return encode("Fn::GetAZs", arg(region)) }

// Select returns {"Fn::Select": [index, list]}, where list is an intrinsic
// that returns a list, such as [GetAZs].
func Select(index int, list string) string {
	return encode("Fn::Select", "["+strconv.Itoa(index)+","+arg(list)+"]")
}

// Join returns {"Fn::Join": [delimiter, values]}.
func Join(delimiter string, values []string) string {
	args := make([]string, len(values))
	for i, v := range values {
		args[i] = arg(v)
	}
	return encode("Fn::Join", list(arg(delimiter), list(args...)))
}

// If returns {"Fn::If": [condition, ifTrue, ifFalse]}.
func If(condition, ifTrue, ifFalse string) string {
	return encode("Fn::If", list(arg(condition), arg(ifTrue), arg(ifFalse)))
}

// Equals returns {"Fn::Equals": [a, b]}.
func Equals(a, b string) string { return encode("Fn::Equals", list(arg(a), arg(b))) }

// Not returns {"Fn::Not": [condition]}, where condition is an intrinsic
// that returns a boolean, such as [Equals].
func Not(condition string) string { return encode("Fn::Not", list(arg(condition))) }

func encode(name, arg string) string { return mark + name + " " + arg }

func arg(s string) string { return strconv.Quote(s) }

func list(args ...string) string { return "[" + strings.Join(args, ",") + "]" }
