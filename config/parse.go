package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The largest files a config reads: the config itself, and the
// user-data template it names.
const (
	MaxFileBytes     = 1 << 20
	MaxUserDataBytes = 64 << 10
)

// Error is a problem with a config: the key it is about (dotted, such as
// vpc.cidr; empty for the file as a whole), and why.
type Error struct {
	File   string // config file, when read from one
	Line   int    // line of the key, when known
	Key    string
	Reason string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	}
	if e.Key != "" {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

func errorf(n *yaml.Node, key, format string, args ...any) *Error {
	e := &Error{Key: key, Reason: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line = n.Line
	}
	return e
}

// Load reads the config file at path over the default, with the files it
// names, and checks it.
func Load(path string) (*Config, error) {
	return LoadFiles(path)
}

// readFile reads a config file, within MaxFileBytes.
func readFile(path string) ([]byte, error) {
	fail := func(reason string) error { return &Error{File: path, Reason: reason} }
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fail("no such file")
		}
		return nil, fail(strings.TrimPrefix(err.Error(), "open "+path+": "))
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fail("is a directory, not a config file")
	}
	data, err := readAtMost(f, MaxFileBytes)
	if errors.Is(err, errTooLarge) {
		return nil, fail(fmt.Sprintf("larger than %d KiB; a config is a few lines of YAML", MaxFileBytes>>10))
	}
	if err != nil {
		return nil, fail("cannot read: " + strings.TrimPrefix(err.Error(), "read "+path+": "))
	}
	if len(data) > MaxFileBytes {
		return nil, fail(fmt.Sprintf("larger than %d KiB; a config is a few lines of YAML", MaxFileBytes>>10))
	}
	return data, nil
}

// Parse reads a config from YAML over the default, with the files it
// names, and checks it. dir is where relative paths in it are read from.
func Parse(data []byte, dir string) (*Config, error) { return parse(data, dir, "") }

func parse(data []byte, dir, file string) (*Config, error) {
	c := Default()
	c.Dir, c.File = dir, file
	top, err := parseDoc(data)
	if err != nil {
		return nil, err
	}
	if top == nil {
		return c, nil // an empty file: the default
	}
	c.node = top
	if err := c.decode(c.node); err != nil {
		return nil, err
	}
	if err := c.complete(); err != nil {
		return nil, err
	}
	return c, nil
}

// complete reads the files a decoded config names, fills in the values it
// left out that default to others, and checks it.
func (c *Config) complete() error {
	if err := c.readUserData(); err != nil {
		err.Line = c.Line(err.Key)
		return err
	}
	c.fill()
	return c.Validate()
}

// parseDoc reads one YAML document and returns its top node, nil for an
// empty one.
func parseDoc(data []byte) (*yaml.Node, error) {
	if len(data) > MaxFileBytes {
		return nil, &Error{Reason: fmt.Sprintf("larger than %d KiB", MaxFileBytes>>10)}
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, &Error{Reason: "not a YAML file: it holds NUL bytes"}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		return nil, &Error{Reason: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	var next yaml.Node
	if err := dec.Decode(&next); err != io.EOF {
		return nil, &Error{Line: next.Line, Reason: "holds more than one YAML document"}
	}
	if doc.Kind == 0 {
		return nil, nil
	}
	if err := noAliases(&doc); err != nil {
		return nil, err
	}
	return doc.Content[0], nil
}

// readUserData reads the template that instances.userData names, of at
// most MaxUserDataBytes, into Instances.UserDataTemplate.
func (c *Config) readUserData() *Error {
	name := c.Instances.UserData
	if name == "" {
		return nil
	}
	const key = "instances.userData"
	path := c.path(name)
	st, err := os.Stat(path) // before opening it: opening a FIFO waits for a writer
	switch {
	case err != nil:
		return bad(key, "cannot read %s: %v", name, unwrapPath(err))
	case !st.Mode().IsRegular():
		return bad(key, "%s is not a regular file", name)
	}
	f, err := os.Open(path)
	if err != nil {
		return bad(key, "cannot read %s: %v", name, unwrapPath(err))
	}
	defer f.Close()
	data, err := readAtMost(f, MaxUserDataBytes)
	switch {
	case errors.Is(err, errTooLarge):
		return bad(key, "%s is larger than %d bytes, the most a user-data template may be", name, MaxUserDataBytes)
	case err != nil:
		return bad(key, "cannot read %s: %v", name, unwrapPath(err))
	}
	c.Instances.UserDataTemplate = string(data)
	return nil
}

// path resolves a path from the config against the config's directory.
func (c *Config) path(p string) string {
	if filepath.IsAbs(p) || c.Dir == "" {
		return p
	}
	return filepath.Join(c.Dir, p)
}

var errTooLarge = errors.New("too large")

// readAtMost reads r to its end, or fails with errTooLarge once past max
// bytes, without reading on.
func readAtMost(r io.Reader, max int) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, int64(max)+1))
	if err == nil && len(data) > max {
		err = errTooLarge
	}
	return data, err
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func noAliases(n *yaml.Node) error {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return &Error{Line: n.Line, Reason: "YAML anchors and aliases are not allowed in a config"}
	}
	for _, c := range n.Content {
		if err := noAliases(c); err != nil {
			return err
		}
	}
	return nil
}

type handler func(v *yaml.Node, key string) error

// fields walks mapping n, calling the handler of each key in document
// order. Unknown and repeated keys are errors.
func fields(n *yaml.Node, path string, hs map[string]handler) error {
	if n.Kind != yaml.MappingNode {
		what := path
		if what == "" {
			return errorf(n, "", "want a mapping of keys to values at the top level, got %s", kind(n))
		}
		return errorf(n, what, "want a mapping, got %s", kind(n))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := join(path, k.Value)
		if k.Kind != yaml.ScalarNode {
			return errorf(k, path, "keys are names, got %s", kind(k))
		}
		if seen[k.Value] {
			return errorf(k, key, "repeated key")
		}
		seen[k.Value] = true
		h, ok := hs[k.Value]
		if !ok {
			known := make([]string, 0, len(hs))
			for name := range hs {
				known = append(known, name)
			}
			slices.Sort(known)
			return errorf(k, key, "unknown key (known keys here: %s)", strings.Join(known, ", "))
		}
		if err := h(v, key); err != nil {
			return err
		}
	}
	return nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func kind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "no value"
		case "!!str":
			return fmt.Sprintf("the string %q", clip(n.Value))
		case "!!int", "!!float":
			return "the number " + clip(n.Value)
		case "!!bool":
			return n.Value
		}
		return clip(n.Value)
	}
	return "an alias"
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

func str(p *string) handler {
	return func(v *yaml.Node, key string) error {
		if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
			return errorf(v, key, "want a string, got %s", kind(v))
		}
		*p = v.Value
		return nil
	}
}

// bigInt matches whole numbers too large for YAML to read as integers.
var bigInt = lazyRegexp(`^[-+]?[0-9]+$`)

func integer(p *int) handler {
	return func(v *yaml.Node, key string) error {
		if v.Kind == yaml.ScalarNode && bigInt().MatchString(v.Value) && v.ShortTag() == "!!float" {
			return errorf(v, key, "%s is out of range", clip(v.Value))
		}
		if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" {
			return errorf(v, key, "want a whole number, got %s", kind(v))
		}
		n, err := strconv.ParseInt(strings.ReplaceAll(v.Value, "_", ""), 0, 64)
		if err != nil || n > math.MaxInt32 || n < math.MinInt32 {
			return errorf(v, key, "%s is out of range", clip(v.Value))
		}
		*p = int(n)
		return nil
	}
}

func boolean(p *bool) handler {
	return func(v *yaml.Node, key string) error {
		if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!bool" {
			return errorf(v, key, "want true or false, got %s", kind(v))
		}
		*p = v.Value == "true" || v.Value == "True" || v.Value == "TRUE"
		return nil
	}
}

func strList(p *[]string) handler {
	return func(v *yaml.Node, key string) error {
		if v.Kind != yaml.SequenceNode {
			return errorf(v, key, "want a list of strings, got %s", kind(v))
		}
		out := make([]string, len(v.Content))
		for i, e := range v.Content {
			if err := str(&out[i])(e, fmt.Sprintf("%s[%d]", key, i)); err != nil {
				return err
			}
		}
		*p = out
		return nil
	}
}

func strMap(p *map[string]string) handler {
	return func(v *yaml.Node, key string) error {
		if v.Kind != yaml.MappingNode {
			return errorf(v, key, "want a mapping of names to strings, got %s", kind(v))
		}
		out := map[string]string{}
		for i := 0; i+1 < len(v.Content); i += 2 {
			k, val := v.Content[i], v.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return errorf(k, key, "keys are names, got %s", kind(k))
			}
			name := key + "." + k.Value
			if _, dup := out[k.Value]; dup {
				return errorf(k, name, "repeated key")
			}
			if val.Kind != yaml.ScalarNode || val.ShortTag() != "!!str" {
				return errorf(val, name, "want a string (quote numbers and booleans), got %s", kind(val))
			}
			out[k.Value] = val.Value
		}
		*p = out
		return nil
	}
}

func (c *Config) decode(n *yaml.Node) error {
	return fields(n, "", map[string]handler{
		"stackName":   str(&c.StackName),
		"description": str(&c.Description),
		"tags":        strMap(&c.Tags),
		"vpc": func(v *yaml.Node, key string) error {
			return fields(v, key, map[string]handler{
				"cidr":           str(&c.VPC.CIDR),
				"azCount":        integer(&c.VPC.AZCount),
				"natGateways":    integer(&c.VPC.NATGateways),
				"subnetMask":     integer(&c.VPC.SubnetMask),
				"publicSubnets":  strList(&c.VPC.PublicSubnets),
				"privateSubnets": strList(&c.VPC.PrivateSubnets),
				"flowLogs":       boolean(&c.VPC.FlowLogs),
				"flowLogsDays":   integer(&c.VPC.FlowLogsDays),
				"endpoints":      strList(&c.VPC.Endpoints),

				// an existing network instead (existing.go)
				"id":               str(&c.VPC.ID),
				"publicSubnetIds":  strList(&c.VPC.PublicSubnetIDs),
				"privateSubnetIds": strList(&c.VPC.PrivateSubnetIDs),
			})
		},
		"instances": func(v *yaml.Node, key string) error {
			in := &c.Instances
			return fields(v, key, map[string]handler{
				"count":         integer(&in.Count),
				"type":          str(&in.Type),
				"ami":           str(&in.AMI),
				"rootVolumeGiB": integer(&in.RootVolumeGiB),
				"userData":      str(&in.UserData),
				"vars":          strMap(&in.Vars),

				// whether, and how long, CloudFormation waits for each instance
				"signal":               boolean(&in.Signal),
				"signalTimeoutMinutes": integer(&in.SignalTimeoutMinutes),

				"page": func(v *yaml.Node, key string) error {
					return fields(v, key, map[string]handler{
						"title":   str(&in.Page.Title),
						"heading": str(&in.Page.Heading),
					})
				},
				"autoScaling": func(v *yaml.Node, key string) error {
					as := newAutoScaling()
					in.AutoScaling = as
					return fields(v, key, map[string]handler{
						"min":                     integer(&as.Min),
						"max":                     integer(&as.Max),
						"desired":                 integer(&as.Desired),
						"targetCpuPercent":        integer(&as.TargetCPUPercent),
						"targetRequestsPerTarget": integer(&as.TargetRequestsPerTarget),
						"gracePeriodSeconds":      integer(&as.GracePeriodSeconds),
					})
				},
			})
		},
		"loadBalancer": func(v *yaml.Node, key string) error {
			lb := &c.LoadBalancer
			return fields(v, key, map[string]handler{
				"healthCheckPath":            str(&lb.HealthCheckPath),
				"healthCheckIntervalSeconds": integer(&lb.HealthCheckIntervalSeconds),
				"certificateArn":             str(&lb.CertificateArn),
				"accessLogsBucket":           str(&lb.AccessLogsBucket),
				"healthCheckTimeoutSeconds":  integer(&lb.HealthCheckTimeoutSeconds),
				"healthyThreshold":           integer(&lb.HealthyThreshold),
				"unhealthyThreshold":         integer(&lb.UnhealthyThreshold),
				"deregistrationDelaySeconds": integer(&lb.DeregistrationDelaySeconds),
				"createAccessLogsBucket":     boolean(&lb.CreateAccessLogsBucket),
				"accessLogsDays":             integer(&lb.AccessLogsDays),

				// a domain of your own (domain.go)
				"domainName":     str(&lb.DomainName),
				"hostedZoneId":   str(&lb.HostedZoneID),
				"hostedZoneName": str(&lb.HostedZoneName),
			})
		},
	})
}
