// Bench times whole cfngen processes, which the Go benchmarks of
// package template cannot: it builds cfngen once, runs it many times per
// config in bench/, and prints Markdown tables of wall time, peak memory
// (the child's max RSS), template size and resource count. Then it times
// `cfngen deploy` of new stacks against a warm moto server, side by side
// with baresdk (a program that makes only the SDK calls of a change-set
// deploy) and `aws cloudformation deploy` of the same template, and a stack set
// deploy to 2 accounts x 2 regions beside the same 4 stacks deployed one
// by one. Before the deploys it times cfngen beside bench/floor, a
// goformation program that builds and prints a 30-resource template, and
// builds with an empty build cache (engine.go).
//
// Run it from the repository root, as make bench does:
//
//	scripts/with-moto go run ./bench
//
// Without CFNGEN_MOTO_ENDPOINT it starts moto_server itself; -deploy=false
// skips the deploys and -cold-runs 0 the cold builds.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/cfngen/cfngen/internal/cfnyaml"
)

// configs are the stacks bench runs, named as the sub-benchmarks of
// template.BenchmarkSynth; the built-in stack has no file.
var configs = []struct{ name, file string }{
	{"default", ""},
	{"instances=2", "bench/instances-2.config.yaml"},
	{"instances=10", "bench/instances-10.config.yaml"},
	{"instances=50", "bench/instances-50.config.yaml"},
	{"instances=100", "bench/instances-100.config.yaml"},
	{"instances=200", "bench/instances-200.config.yaml"},
	{"autoscaling", "bench/autoscaling.config.yaml"},
	{"largest", "bench/largest.config.yaml"},
}

func main() {
	runs := flag.Int("runs", 20, "timed runs of cfngen per config")
	warmups := flag.Int("warmup", 2, "untimed runs before them")
	deployRuns := flag.Int("deploy-runs", 7, "timed deploys per command")
	deploy := flag.Bool("deploy", true, "also time deploys against a moto server")
	setRuns := flag.Int("stackset-runs", 5, "timed stack set deploys, and as many rounds of single deploys")
	floorRuns := flag.Int("floor-runs", 40, "rounds of cfngen beside the floor")
	coldRuns := flag.Int("cold-runs", 1, "rounds of builds with an empty build cache (0: none)")
	flag.Parse()
	if *runs < 1 || *warmups < 1 || *deployRuns < 1 || *setRuns < 1 || *floorRuns < 1 || *coldRuns < 0 {
		fmt.Fprintln(os.Stderr, "bench: -runs, -warmup, -deploy-runs, -stackset-runs and -floor-runs must be at least 1, -cold-runs at least 0")
		os.Exit(2)
	}
	if err := run(*runs, *warmups, *deployRuns, *setRuns, *floorRuns, *coldRuns, *deploy); err != nil {
		fmt.Fprintln(os.Stderr, "bench: error:", err)
		os.Exit(1)
	}
}

func run(runs, warmups, deployRuns, setRuns, floorRuns, coldRuns int, deploy bool) error {
	if _, err := os.Stat("bench"); err != nil {
		return fmt.Errorf("%w; run bench from the repository root", err)
	}
	dir, err := os.MkdirTemp("", "cfngen-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	spawner = filepath.Join(dir, "spawn")
	if out, err := exec.Command("go", "build", "-o", spawner, "./bench/spawn").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	bin := filepath.Join(dir, "cfngen")
	fmt.Printf("$ go build -o %s ./cmd/cfngen\n", bin)
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/cfngen").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	fmt.Printf("%s/%s, %d CPUs\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU())

	templates, err := synth(bin, runs, warmups)
	if err != nil {
		return err
	}
	if err := floor(bin, dir, floorRuns); err != nil {
		return err
	}
	if coldRuns > 0 {
		if err := coldBuilds(coldRuns); err != nil {
			return err
		}
	}
	if !deploy {
		return nil
	}
	if err := deploys(bin, dir, templates, deployRuns); err != nil {
		return err
	}
	return stackSets(bin, setRuns)
}

// synth times `cfngen [-c FILE] > /dev/null` for every config and returns
// the templates it wrote, by config name.
func synth(bin string, runs, warmups int) (map[string][]byte, error) {
	fmt.Printf("\n## cfngen > /dev/null: %d runs per config after %d warm-ups\n\n", runs, warmups)
	fmt.Println("| config | command | resources | template bytes | median | min | max | max RSS |")
	fmt.Println("|---|---|--:|--:|--:|--:|--:|--:|")
	templates := map[string][]byte{}
	for _, c := range configs {
		args := []string{}
		if c.file != "" {
			args = []string{"-c", c.file}
		}
		var body bytes.Buffer // the first warm-up keeps the template
		if _, err := measure(&body, nil, bin, args...); err != nil {
			return nil, err
		}
		for range warmups - 1 {
			if _, err := measure(nil, nil, bin, args...); err != nil {
				return nil, err
			}
		}
		var times []time.Duration
		var rss int64
		for range runs {
			r, err := measure(nil, nil, bin, args...)
			if err != nil {
				return nil, err
			}
			times = append(times, r.wall)
			rss = max(rss, r.maxRSS)
		}
		n, err := resources(body.Bytes())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		templates[c.name] = body.Bytes()
		fmt.Printf("| %s | `%s` | %d | %d | %s | %s |\n", c.name, strings.Join(append([]string{"cfngen"}, args...), " "),
			n, body.Len(), stats(times), mib(rss))
	}
	fmt.Println("\ntimes are wall-clock times of the whole process; max RSS is the highest of the runs")
	return templates, nil
}

// resources counts the resources of a written template.
func resources(body []byte) (int, error) {
	doc, err := cfnyaml.Parse(body)
	if err != nil {
		return 0, err
	}
	return len(cfnyaml.Get(doc, "Resources").Content) / 2, nil
}

// spawner is the path of the program that measure runs commands under.
var spawner string

// result is what one process cost.
type result struct {
	wall   time.Duration
	cpu    time.Duration // user and system
	maxRSS int64         // bytes
}

// measure runs a command to completion with its stdout in w (nil:
// /dev/null) and env (nil: this process's), and returns its wall time and
// peak memory. A failure carries the command's stderr.
//
// The command runs under spawner (./spawn), a small program: Linux counts
// in a command's max RSS the memory of the process that started it, since
// os/exec's vfork shares that memory until exec, and bench holds every
// template it has read.
func measure(w *bytes.Buffer, env []string, name string, args ...string) (result, error) {
	report, err := os.CreateTemp("", "cfngen-bench-spawn-")
	if err != nil {
		return result{}, err
	}
	report.Close()
	defer os.Remove(report.Name())
	cmd := exec.Command(spawner, append([]string{report.Name(), name}, args...)...)
	cmd.Env = env
	if w != nil {
		cmd.Stdout = w
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return result{}, fmt.Errorf("%s: %v\n%s", strings.Join(append([]string{name}, args...), " "), err, stderr.Bytes())
	}
	data, err := os.ReadFile(report.Name())
	if err != nil {
		return result{}, err
	}
	var r result
	if _, err := fmt.Sscan(string(data), &r.wall, &r.cpu, &r.maxRSS); err != nil {
		return result{}, fmt.Errorf("%s: report %q: %v", name, data, err)
	}
	return r, nil
}

// stats formats the median, min and max of ds as Markdown cells.
func stats(ds []time.Duration) string {
	return fmt.Sprintf("%s | %s | %s", ms(median(ds)), ms(slices.Min(ds)), ms(slices.Max(ds)))
}

func median(ds []time.Duration) time.Duration {
	s := slices.Sorted(slices.Values(ds))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
