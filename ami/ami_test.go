package ami_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/cfngen/cfngen/ami"
	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/predict"
	"github.com/cfngen/cfngen/template"
)

const (
	oldAMI = "ami-0123456789abcdef0"
	newAMI = "ami-0fedcba9876543210"
	pinAMI = "ami-0aaaaaaaaaaaaaaaa"
	armAMI = "ami-0bbbbbbbbbbbbbbbb"
)

func param(k, v, resolved string) ami.Parameter {
	return ami.Parameter{Key: k, Value: v, Resolved: resolved}
}

// ssm resolves the SSM parameters as they are now: Amazon Linux has moved
// on from oldAMI.
func ssm(_ context.Context, path string) (string, error) {
	switch path {
	case config.AMIx86:
		return newAMI, nil
	case config.AMIArm64:
		return armAMI, nil
	}
	return "", errors.New("ParameterNotFound: " + path)
}

// Stacks as DescribeStacks returns them.
var (
	// deployed by this version, on the latest image
	onLatest = []ami.Parameter{param("ImageId", config.AMIx86, oldAMI), param("PinnedImageId", "", ""), param("InstanceType", "t3.micro", "")}
	// deployed by this version, pinned
	onPin = []ami.Parameter{param("ImageId", config.AMIx86, newAMI), param("PinnedImageId", pinAMI, "")}
	// deployed before the pin existed
	beforePin = []ami.Parameter{param("ImageId", config.AMIx86, oldAMI), param("InstanceType", "t3.micro", "")}
	// as moto shows a stack: the resolved AMI as the value
	onMoto = []ami.Parameter{param("ImageId", oldAMI, ""), param("PinnedImageId", "", "")}
	// deployed with instances.ami set to an AMI ID
	onFixed = []ami.Parameter{param("ImageId", oldAMI, "")}
)

func TestChoose(t *testing.T) {
	cases := []struct {
		name     string
		in       ami.Input
		send     map[string]string // nil: nothing
		old, new string
		line     string // "" when the image stays
	}{
		{"new stack", ami.Input{Image: config.AMIx86}, map[string]string{"PinnedImageId": newAMI}, "", newAMI, ""},
		{"new stack, SSM not asked", ami.Input{Image: config.AMIx86, Resolve: func(context.Context, string) (string, error) { return "", nil }}, nil, "", "", ""},
		{"new stack, AMI ID", ami.Input{Image: pinAMI}, nil, "", pinAMI, ""},
		{"keeps the deployed image", ami.Input{Deployed: onLatest, Image: config.AMIx86},
			map[string]string{"PinnedImageId": oldAMI}, oldAMI, oldAMI, ""},
		{"keeps the pinned image", ami.Input{Deployed: onPin, Image: config.AMIx86},
			map[string]string{"PinnedImageId": pinAMI}, pinAMI, pinAMI, ""},
		{"keeps the image of a stack deployed before the pin", ami.Input{Deployed: beforePin, Image: config.AMIx86},
			map[string]string{"PinnedImageId": oldAMI}, oldAMI, oldAMI, ""},
		{"keeps the image on moto", ami.Input{Deployed: onMoto, Image: config.AMIx86},
			map[string]string{"PinnedImageId": oldAMI}, oldAMI, oldAMI, ""},
		{"update", ami.Input{Deployed: onLatest, Image: config.AMIx86, Update: true},
			map[string]string{"PinnedImageId": newAMI}, oldAMI, newAMI, "AMI " + oldAMI + " -> " + newAMI + " (asked for the latest)"},
		{"update of a pinned stack", ami.Input{Deployed: onPin, Image: config.AMIx86, Update: true},
			map[string]string{"PinnedImageId": newAMI}, pinAMI, newAMI, "AMI " + pinAMI + " -> " + newAMI + " (asked for the latest)"},
		{"update, already the latest", ami.Input{Deployed: []ami.Parameter{param("ImageId", config.AMIx86, newAMI)}, Image: config.AMIx86, Update: true},
			map[string]string{"PinnedImageId": newAMI}, newAMI, newAMI, ""},
		{"another path in the config", ami.Input{Deployed: onLatest, Image: config.AMIArm64},
			map[string]string{"PinnedImageId": armAMI}, oldAMI, armAMI, "AMI " + oldAMI + " -> " + armAMI + " (the template's image is now " + config.AMIArm64 + ", was " + config.AMIx86 + ")"},
		{"an AMI ID in the config", ami.Input{Deployed: onLatest, Image: pinAMI},
			nil, oldAMI, pinAMI, "AMI " + oldAMI + " -> " + pinAMI + " (the template's image)"},
		{"the same AMI ID", ami.Input{Deployed: onFixed, Image: oldAMI, Update: true}, nil, oldAMI, oldAMI, ""},
		{"from an AMI ID to the latest", ami.Input{Deployed: onFixed, Image: config.AMIx86},
			map[string]string{"PinnedImageId": newAMI}, oldAMI, newAMI, "AMI " + oldAMI + " -> " + newAMI + " (the template's image is now " + config.AMIx86 + ")"},
		{"a given pin", ami.Input{Deployed: onLatest, Image: config.AMIx86, Update: true, Given: map[string]string{"PinnedImageId": pinAMI}},
			nil, oldAMI, pinAMI, "AMI " + oldAMI + " -> " + pinAMI + " (the given PinnedImageId)"},
		{"a given empty pin", ami.Input{Deployed: onPin, Image: config.AMIx86, Given: map[string]string{"PinnedImageId": ""}},
			nil, pinAMI, newAMI, "AMI " + pinAMI + " -> " + newAMI + " (the given empty PinnedImageId)"},
		{"a given path", ami.Input{Deployed: onLatest, Image: config.AMIx86, Given: map[string]string{"ImageId": config.AMIArm64}},
			map[string]string{"PinnedImageId": armAMI}, oldAMI, armAMI, "AMI " + oldAMI + " -> " + armAMI + " (the given ImageId)"},
		{"update without SSM to ask", ami.Input{Deployed: onLatest, Image: config.AMIx86, Update: true, Resolve: func(context.Context, string) (string, error) { return "", nil }},
			map[string]string{"PinnedImageId": ""}, oldAMI, "", "AMI " + oldAMI + " -> the image the SSM parameter names at deploy time (asked for the latest)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.in.Resolve == nil {
				tc.in.Resolve = ssm
			}
			c, err := ami.Choose(context.Background(), tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(c.Parameters, tc.send) {
				t.Errorf("sends %v, want %v", c.Parameters, tc.send)
			}
			if c.Old != tc.old || c.New != tc.new {
				t.Errorf("image %q -> %q, want %q -> %q", c.Old, c.New, tc.old, tc.new)
			}
			if c.String() != tc.line {
				t.Errorf("line %q, want %q", c.String(), tc.line)
			}
		})
	}
}

func TestChooseFailsClosed(t *testing.T) {
	for name, ps := range map[string][]ami.Parameter{
		"no image parameter":     {param("InstanceType", "t3.micro", "")},
		"a path without its AMI": {param("ImageId", config.AMIx86, ""), param("PinnedImageId", "", "")},
		"not an image":           {param("ImageId", "latest", "")},
	} {
		_, err := ami.Choose(context.Background(), ami.Input{Deployed: ps, Image: config.AMIx86, Resolve: ssm})
		var ue *ami.UnknownImageError
		if !errors.As(err, &ue) {
			t.Errorf("%s: got %v, want an *UnknownImageError", name, err)
		}
	}
	// Asked for the latest, the deployed image need not be known.
	c, err := ami.Choose(context.Background(), ami.Input{Deployed: []ami.Parameter{param("Size", "2", "")}, Image: config.AMIx86, Resolve: ssm, Update: true})
	if err != nil || c.New != newAMI || c.String() != "AMI (unknown) -> "+newAMI+" (asked for the latest)" {
		t.Errorf("update of an unknown image: %v, %+v", err, c)
	}
	_, err = ami.Choose(context.Background(), ami.Input{Deployed: onLatest, Image: "/no/such/parameter", Resolve: ssm})
	if err == nil {
		t.Error("a path SSM does not know: no error")
	}
}

// TestNewerAMIReplacesNothing: with a newer image in SSM, an unrelated
// change (two more instances) replaces no instance; asked for the new
// image, every instance is replaced.
func TestNewerAMIReplacesNothing(t *testing.T) {
	build := func(edit func(*config.Config)) []byte {
		c := config.Default()
		if edit != nil {
			edit(c)
		}
		st, err := template.Build(c)
		if err != nil {
			t.Fatal(err)
		}
		body, err := st.YAML()
		if err != nil {
			t.Fatal(err)
		}
		return body
	}
	old, new := build(nil), build(func(c *config.Config) { c.Instances.Count = 4 })
	for _, update := range []bool{false, true} {
		c, err := ami.Choose(context.Background(), ami.Input{Deployed: onLatest, Image: config.AMIx86, Resolve: ssm, Update: update})
		if err != nil {
			t.Fatal(err)
		}
		// What CloudFormation resolves: the SSM parameter now names newAMI.
		sent := map[string]string{"ImageId": newAMI}
		maps.Copy(sent, c.Parameters)
		plan, err := predict.Predict(old, new, predict.Options{
			OldParameters: map[string]string{"ImageId": oldAMI, "PinnedImageId": ""},
			NewParameters: sent,
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"Instance1", "Instance2"} {
			ch, _ := plan.Resource(id)
			if want := map[bool]predict.Action{false: predict.None, true: predict.Replace}[update]; ch.Action != want {
				t.Errorf("update %v: %s %s %v, want %s", update, id, ch.Action, ch.Properties(), want)
			}
		}
		if update {
			continue
		}
		var got []string
		for _, ch := range plan.Changes {
			got = append(got, fmt.Sprint(ch.Action, " ", ch.LogicalID, " ", ch.Properties()))
		}
		if want := []string{"Add Instance3 []", "Add Instance4 []", "Modify TargetGroup [Targets]"}; !slices.Equal(got, want) {
			t.Errorf("plan %q, want %q", got, want)
		}
	}
}
