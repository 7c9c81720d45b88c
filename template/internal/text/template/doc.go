// Package template is Go's text/template (of the Go release named in
// fork_test.go) less one thing: a template cannot call a method of its
// data. {{.Name}} reads a field or a map key, as before, and functions
// still run.
//
// text/template looks methods up by name, and a program that does so
// keeps, in its binary, every exported method of every type it could
// reach: with the AWS SDK's EC2 client, cfngen was 68 MB instead of 20,
// and every process paid for it in start-up and memory. The data a
// user-data template sees (template.UserData, its map of variables, and
// strings, numbers and booleans) has no methods, so nothing a template
// can do changes. fork_test.go holds the fork to the standard library's
// files; the Go license is in ../../LICENSE. Package fmtsort is
// internal/fmtsort, which text/template imports.
package template
