package ami

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

// The template's names.
const (
	ImageParameter = "ImageId"       // the SSM parameter path, or the AMI ID
	PinParameter   = "PinnedImageId" // an AMI ID that overrides the SSM parameter; empty by default
	PinCondition   = "ImagePinned"   // PinParameter is not empty
)

var amiID = regexp.MustCompile(`^ami-([0-9a-f]{8}|[0-9a-f]{17})$`)

// IsID reports whether s is an AMI ID rather than an SSM parameter path.
func IsID(s string) bool { return amiID.MatchString(s) }

// Parameter is a parameter of a deployed stack, as DescribeStacks returns
// it: for an SSM parameter type, Value is the parameter's path and
// Resolved the AMI it named at the last deploy.
type Parameter struct {
	Key, Value, Resolved string
}

// Input is what [Choose] knows about one deploy.
type Input struct {
	// Deployed are the deployed stack's parameters; nil for a stack not
	// created yet.
	Deployed []Parameter

	// Image is the new template's image, the default of ImageParameter:
	// an SSM parameter path (the template then has PinParameter) or an
	// AMI ID.
	Image string

	// Resolve returns the AMI an SSM parameter path names now; nil when
	// the caller cannot ask.
	Resolve func(ctx context.Context, path string) (string, error)

	// Update asks for the image the SSM parameter names now.
	Update bool

	// Given are the parameter values the caller sends anyway; a value for
	// ImageParameter or PinParameter decides the image.
	Given map[string]string
}

// Choice is what an update sends, and what it does to the image.
type Choice struct {
	// Parameters are the values to send beside Input.Given: the pin, when
	// the update keeps the deployed image or leaves it.
	Parameters map[string]string

	Old string // the deployed image; "" when unknown or for a new stack
	New string // the image after the update; "" when unknown

	// Latest is the image the SSM parameter names now, when asked; it may
	// differ from New when the update keeps the deployed image.
	Latest string

	// Asked says why the image changes: "" when it is kept, else what
	// asked for the new one (the update, a new image in the template, a
	// given parameter).
	Asked string
}

// Changes reports whether the update gives the instances another image,
// as far as is known.
func (c Choice) Changes() bool { return c.Old != c.New && c.Asked != "" }

// String is the plan's line: "AMI ami-old -> ami-new" when the image
// changes, else "".
func (c Choice) String() string {
	if !c.Changes() {
		return ""
	}
	to := c.New
	if to == "" {
		to = "the image the SSM parameter names at deploy time"
	}
	return fmt.Sprintf("AMI %s -> %s (%s)", orUnknown(c.Old), to, c.Asked)
}

func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

// UnknownImageError is a deployed stack whose image cannot be read from
// its parameters, so that an update could not keep it.
type UnknownImageError struct {
	Reason string
}

func (e *UnknownImageError) Error() string {
	return "cannot tell which image the deployed stack's instances run: " + e.Reason
}

// deployed is what a stack's parameters say about its image.
type deployed struct {
	image string // the AMI its instances were given
	path  string // the SSM parameter path, when one is known
	ssm   bool   // the image came through an SSM parameter (not a fixed AMI ID)
}

// read reads a deployed stack's image parameters. CloudFormation returns
// an SSM parameter's path as ParameterValue and the AMI it resolved to as
// ResolvedValue. (moto returns the AMI as ParameterValue, with no
// ResolvedValue: the path is then unknown.)
func read(ps []Parameter) (deployed, error) {
	var img, pin *Parameter
	for i := range ps {
		switch ps[i].Key {
		case ImageParameter:
			img = &ps[i]
		case PinParameter:
			pin = &ps[i]
		}
	}
	if img == nil {
		return deployed{}, &UnknownImageError{Reason: "it has no parameter " + ImageParameter}
	}
	var d deployed
	value, resolved := img.Value, img.Resolved
	switch {
	case resolved != "":
		d = deployed{image: resolved, path: value, ssm: true}
	case strings.HasPrefix(value, "/"):
		d = deployed{path: value, ssm: true}
	case IsID(value):
		d = deployed{image: value, ssm: pin != nil}
	default:
		return deployed{}, &UnknownImageError{Reason: fmt.Sprintf("parameter %s is %q", ImageParameter, value)}
	}
	if pin != nil {
		if v := pin.Value; v != "" {
			d.image = v
		}
	}
	if d.image == "" {
		return deployed{}, &UnknownImageError{Reason: fmt.Sprintf("parameter %s (%s) has no resolved value", ImageParameter, d.path)}
	}
	return d, nil
}

// Choose returns the parameters an update sends so that the instances
// keep the deployed image unless asked for another: by Update, by a new
// image in the template (an AMI ID, or another SSM parameter path), or by
// a given ImageParameter or PinParameter. A stack is pinned from its
// creation on: when an SSM parameter path gives the image, the pin is the
// image it names (as Resolve says), so that updates, also those made with
// the AWS CLI, keep it.
func Choose(ctx context.Context, in Input) (Choice, error) {
	pinned := !IsID(in.Image) // the template has PinParameter
	var d deployed
	var unknown error
	if in.Deployed != nil {
		d, unknown = read(in.Deployed)
	}
	c := Choice{Old: d.image}

	given, hasImage := in.Given[ImageParameter]
	pin, hasPin := in.Given[PinParameter]
	path := in.Image
	if hasImage {
		path = given
	}
	latest := func() error {
		if IsID(path) || in.Resolve == nil {
			return nil
		}
		v, err := in.Resolve(ctx, path)
		if err != nil {
			return fmt.Errorf("resolve %s: %w", path, err)
		}
		c.Latest = v
		return nil
	}

	switch {
	case !pinned:
		// An AMI ID in the template (or given): the instances take it.
		c.New, c.Asked = path, "the template's image"
		if hasImage {
			c.Asked = "the given " + ImageParameter
		}
	case hasPin && pin != "":
		c.New, c.Asked = pin, "the given "+PinParameter
	case in.Deployed == nil || hasPin || hasImage || in.Update || unknown == nil && (!d.ssm || d.path != "" && d.path != in.Image):
		// The latest image of the path: asked for, or a new path.
		if err := latest(); err != nil {
			return Choice{}, err
		}
		c.New = c.Latest
		switch {
		case in.Deployed == nil:
			c.Asked = "a new stack"
		case in.Update:
			c.Asked = "asked for the latest"
		case hasPin:
			c.Asked = "the given empty " + PinParameter
		case hasImage:
			c.Asked = "the given " + ImageParameter
		case !d.ssm:
			c.Asked = "the template's image is now " + path
		default:
			c.Asked = "the template's image is now " + path + ", was " + d.path
		}
		if !hasPin && (in.Deployed != nil || c.Latest != "") {
			// Pinned to the image it takes, so that later updates keep it.
			c.Parameters = map[string]string{PinParameter: c.Latest}
		}
	case unknown != nil:
		// Nothing asks for another image, and the deployed one is unknown.
		return Choice{}, unknown
	default:
		// Keep the deployed image, whatever the SSM parameter says now.
		if err := latest(); err != nil {
			return Choice{}, err
		}
		c.New = d.image
		c.Parameters = map[string]string{PinParameter: d.image}
	}
	if c.New == c.Old || in.Deployed == nil {
		c.Asked = ""
	}
	return c, nil
}
