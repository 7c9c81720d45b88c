package graph_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/graph"
	"github.com/cfngen/cfngen/internal/cfnyaml"
	"github.com/cfngen/cfngen/internal/testkit/golden"
	"github.com/cfngen/cfngen/template"
)

// update rewrites the golden SVGs in testdata: make golden.
var update = flag.Bool("update", false, "rewrite the golden files in testdata with the current output")

// scenario is a template to draw and the config it was built from.
type scenario struct {
	name string
	cfg  *config.Config
	body []byte
}

// scenarios builds the templates of the goldens' configs, and of the
// largest the benchmarks build: 200 instances over 6 zones.
func scenarios(t *testing.T) []scenario {
	t.Helper()
	files, err := filepath.Glob("../golden/*.config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files = append([]string{""}, files...)
	files = append(files, "../bench/largest.config.yaml", "../bench/instances-200.config.yaml")
	var list []scenario
	for _, f := range files {
		c, name := config.Default(), "default"
		if f != "" {
			if c, err = config.LoadFiles(golden.Layers(f)...); err != nil {
				t.Fatal(err)
			}
			name = strings.TrimSuffix(filepath.Base(f), ".config.yaml")
		}
		if strings.HasPrefix(f, "../bench/") {
			name = "bench-" + name
		}
		st, err := template.Build(c)
		if err != nil {
			t.Fatal(err)
		}
		body, err := st.YAML()
		if err != nil {
			t.Fatal(err)
		}
		list = append(list, scenario{name, c, body})
	}
	return list
}

// TestGoldenSVG draws every scenario and compares the SVG with
// testdata/NAME.svg. Each is well-formed XML, the same twice, names every
// resource group its config has, and accounts for every resource of the
// template. Run make golden after an intended change.
func TestGoldenSVG(t *testing.T) {
	for _, s := range scenarios(t) {
		t.Run(s.name, func(t *testing.T) {
			svg := drawSVG(t, s.body, graph.Options{Title: s.cfg.StackName})
			doc := parseSVG(t, svg)
			for _, want := range groups(s.cfg) {
				if !strings.Contains(doc.text, want) {
					t.Errorf("the picture does not say %q", want)
				}
			}
			checkAccounted(t, s.body, doc)
			if !strings.HasPrefix(s.name, "bench-") {
				golden.Check(t, *update, "testdata/"+s.name+".svg", svg)
			}
		})
	}
}

// groups returns what the picture of a config must say: each resource
// group the config asks for.
func groups(c *config.Config) []string {
	v := c.VPC
	want := []string{c.StackName, "Internet",
		"Application Load Balancer", "HTTP 80", "Target group", "health check " + c.LoadBalancer.HealthCheckPath,
		"allows 80 from the load balancer only"}
	zones := v.AZCount
	if c.ExistingVPC() {
		// The network is given: its VPC and subnets by parameter.
		want = append(want, "Existing VPC", v.ID+" (parameter VpcId)", "routes: the network's own")
		for i, id := range v.PublicSubnetIDs {
			want = append(want, "Existing public subnet", fmt.Sprintf("PublicSubnetIds[%d]", i), id)
		}
		for i, id := range v.PrivateSubnetIDs {
			want = append(want, "Existing private subnet", fmt.Sprintf("PrivateSubnetIds[%d]", i), id)
		}
		zones = len(v.PrivateSubnetIDs)
	} else {
		want = append(want, "VPC · "+v.CIDR, "Internet gateway")
		public, private := v.Subnets()
		for i := range v.AZCount {
			want = append(want, fmt.Sprintf("Availability Zone %d", i+1), public[i], private[i])
		}
		for i := range v.NATGateways {
			want = append(want, fmt.Sprintf("NatGateway%d", i+1))
		}
		if v.NATGateways > 0 {
			want = append(want, "out via NatGateway1")
		} else {
			want = append(want, "no way out")
		}
	}
	if v.FlowLogs {
		want = append(want, fmt.Sprintf("flow logs → CloudWatch Logs, kept %d days", v.FlowLogsDays))
	}
	lb := c.LoadBalancer
	if c.HTTPS() {
		want = append(want, "HTTPS 443", "redirect to 443", "allows 80, 443 from the internet")
	} else {
		want = append(want, "allows 80 from the internet")
	}
	if lb.DomainName != "" {
		want = append(want, lb.DomainName, "→ Application Load Balancer")
	}
	if c.CreatesCertificate() {
		want = append(want, "certificate of "+lb.DomainName+" (DNS validation)")
	}
	if lb.AccessLogsBucket != "" {
		want = append(want, "access logs → "+lb.AccessLogsBucket)
	}
	in := c.Instances
	switch {
	case in.AutoScaling != nil:
		want = append(want, "Auto Scaling group", fmt.Sprintf("%d to %d instances", in.AutoScaling.Min, in.AutoScaling.Max), "launch template LaunchTemplate")
	case in.Count <= 6*zones:
		want = append(want, "Launch template")
		for i := range in.Count {
			want = append(want, fmt.Sprintf("Instance%d", i+1))
		}
	default:
		want = append(want, "Launch template", fmt.Sprintf("%d EC2 instances", (in.Count+zones-1)/zones))
	}
	return want
}

// svgDoc is what an SVG says: its size, all its text, and the tooltips
// of its boxes.
type svgDoc struct {
	width, height int
	text          string
	titles        []string
}

// parseSVG reads an SVG as XML: it must be well-formed.
func parseSVG(t *testing.T, svg []byte) svgDoc {
	t.Helper()
	var doc svgDoc
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var stack []string
	var text, title strings.Builder
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 {
				if tok.Name.Space != "http://www.w3.org/2000/svg" || tok.Name.Local != "svg" {
					t.Fatalf("root element %v, want svg", tok.Name)
				}
				for _, a := range tok.Attr {
					switch a.Name.Local {
					case "width":
						fmt.Sscan(a.Value, &doc.width)
					case "height":
						fmt.Sscan(a.Value, &doc.height)
					}
				}
			}
			stack = append(stack, tok.Name.Local)
			title.Reset()
		case xml.EndElement:
			if stack[len(stack)-1] == "title" && len(stack) > 2 {
				doc.titles = append(doc.titles, title.String())
			}
			if stack[len(stack)-1] == "text" {
				text.WriteString("\n")
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			switch stack[len(stack)-1] {
			case "text":
				text.Write(tok)
			case "title":
				title.Write(tok)
				if len(stack) == 2 {
					text.Write(tok) // the picture's own title
					text.WriteString("\n")
				}
			}
		}
	}
	if doc.width <= 0 || doc.height <= 0 {
		t.Fatalf("size %dx%d", doc.width, doc.height)
	}
	doc.text = text.String()
	return doc
}

// checkAccounted checks that every resource of the template is drawn in
// exactly one box, or folded into boxes: the tooltips list them.
func checkAccounted(t *testing.T, body []byte, doc svgDoc) {
	t.Helper()
	tree, err := cfnyaml.Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	res := cfnyaml.Get(tree, "Resources")
	seen := map[string]int{}
	for _, title := range doc.titles {
		for _, line := range strings.Split(title, "\n") {
			id, _, _ := strings.Cut(line, " (")
			seen[id]++
		}
	}
	for i := 0; i < len(res.Content); i += 2 {
		if id := res.Content[i].Value; seen[id] == 0 {
			t.Errorf("resource %s is nowhere in the picture", id)
		}
	}
}

func drawSVG(t *testing.T, body []byte, o graph.Options) []byte {
	t.Helper()
	p, err := graph.Architecture(body, o)
	if err != nil {
		t.Fatal(err)
	}
	svg := p.SVG()
	again, err := graph.Architecture(body, o)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(svg, again.SVG()) {
		t.Fatal("two drawings differ")
	}
	return svg
}

// pixels counts the pixels of an image that are near each colour.
func pixels(img image.Image, colours ...[3]uint8) []int {
	counts := make([]int, len(colours))
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			for i, c := range colours {
				if near(r, c[0]) && near(g, c[1]) && near(bl, c[2]) {
					counts[i]++
				}
			}
		}
	}
	return counts
}

func near(v uint32, c uint8) bool {
	d := int(v>>8) - int(c)
	return d >= -6 && d <= 6
}

// readPNG decodes a PNG file.
func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}
