package graph_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/cfngen/cfngen/graph"
)

// TestRenderInChromium looks at the pictures as a person would: headless
// Chromium renders each SVG to a PNG of the SVG's own size, in which the
// public and private subnets, the networking boxes and, on a plan, the
// marks of each action show in their colours.
func TestRenderInChromium(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not on PATH: install it: apt-get install -y chromium")
	}
	type colour = [3]uint8
	var (
		public  = colour{0xf2, 0xf6, 0xe8}
		private = colour{0xe6, 0xf2, 0xf8}
		purple  = colour{0x8c, 0x4f, 0xff}
		green   = colour{0x1d, 0x81, 0x02}
		amber   = colour{0xb3, 0x6b, 0x00}
		red     = colour{0xd1, 0x32, 0x12}
	)
	cases := map[string]struct {
		svg     []byte
		colours []colour
	}{}
	for _, s := range scenarios(t) {
		if s.name == "default" || s.name == "bench-largest" {
			cases[s.name] = struct {
				svg     []byte
				colours []colour
			}{drawSVG(t, s.body, graph.Options{Title: s.cfg.StackName}), []colour{public, private, purple}}
		}
	}
	body, plan := planScenario(t)
	cases["plan"] = struct {
		svg     []byte
		colours []colour
	}{drawSVG(t, body, graph.Options{Title: "web-six", Plan: plan}), []colour{public, private, green, amber, red}}

	dir := t.TempDir()
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel() // Chromium mostly waits
			doc := parseSVG(t, c.svg)
			in, out := filepath.Join(dir, name+".svg"), filepath.Join(dir, name+".png")
			if err := os.WriteFile(in, c.svg, 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--hide-scrollbars", "--force-device-scale-factor=1", "--user-data-dir="+filepath.Join(dir, "profile-"+name),
				"--window-size="+strconv.Itoa(doc.width)+","+strconv.Itoa(doc.height),
				"--screenshot="+out, "file://"+in)
			if log, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("chromium: %v\n%s", err, log)
			}
			img := readPNG(t, out)
			if b := img.Bounds(); b.Dx() != doc.width || b.Dy() != doc.height {
				t.Errorf("the PNG is %dx%d, the SVG %dx%d", b.Dx(), b.Dy(), doc.width, doc.height)
			}
			for i, n := range pixels(img, c.colours...) {
				if n < 200 {
					t.Errorf("colour #%02x%02x%02x shows on %d pixels, want at least 200", c.colours[i][0], c.colours[i][1], c.colours[i][2], n)
				}
			}
			// To look at the PNGs: CFNGEN_KEEP_PNG=DIR go test ./graph -run Chromium
			if os.Getenv("CFNGEN_KEEP_PNG") != "" {
				data, _ := os.ReadFile(out)
				os.WriteFile(filepath.Join(os.Getenv("CFNGEN_KEEP_PNG"), name+".png"), data, 0o644)
			}
		})
	}
}
