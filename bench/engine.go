package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"time"
)

// floorDir holds the floor: a goformation program that builds and prints
// a 30-resource template, in a module of its own.
const floorDir = "bench/floor"

// floor times `cfngen > /dev/null` (the default stack) beside the floor
// and bench/sdkinit (the AWS SDK's start-up alone), run after run, and
// prints the ratio of the medians of cfngen and the floor, their CPU times
// and their peak memory.
func floor(bin, dir string, runs int) error {
	floorBin, sdkBin := filepath.Join(dir, "floor"), filepath.Join(dir, "sdkinit")
	cmd := exec.Command("go", "build", "-o", floorBin, ".")
	cmd.Dir = floorDir
	fmt.Printf("\n## cfngen beside the floor: %d rounds after a warm-up, each runs all three\n\n", runs)
	fmt.Printf("$ (cd %s && go build -o %s .)\n", floorDir, floorBin)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build the floor: %v\n%s", err, out)
	}
	fmt.Printf("$ go build -o %s ./bench/sdkinit\n", sdkBin)
	if out, err := exec.Command("go", "build", "-o", sdkBin, "./bench/sdkinit").CombinedOutput(); err != nil {
		return fmt.Errorf("build sdkinit: %v\n%s", err, out)
	}
	progs := []struct{ name, path string }{{"cfngen", bin}, {"floor", floorBin}, {"sdkinit", sdkBin}}
	wall := make([][]time.Duration, len(progs))
	cpu := make([][]time.Duration, len(progs))
	rss := make([]int64, len(progs))
	for round := range runs + 1 {
		for i, p := range progs {
			r, err := measure(nil, nil, p.path)
			if err != nil {
				return err
			}
			if round > 0 {
				wall[i], cpu[i] = append(wall[i], r.wall), append(cpu[i], r.cpu)
				rss[i] = max(rss[i], r.maxRSS)
			}
		}
	}
	fmt.Println("| program | binary | median | min | max | CPU time, median | max RSS |")
	fmt.Println("|---|--:|--:|--:|--:|--:|--:|")
	for i, p := range progs {
		st, err := os.Stat(p.path)
		if err != nil {
			return err
		}
		fmt.Printf("| %s > /dev/null | %.1f MB | %s | %s | %s |\n", p.name, float64(st.Size())/1e6, stats(wall[i]), ms(median(cpu[i])), mib(rss[i]))
	}
	fmt.Printf("\ncfngen takes %.2f times as long as the floor; sdkinit, a process that only starts the AWS SDK that cfngen links, %.0f%% of cfngen's time (medians)\n",
		float64(median(wall[0]))/float64(median(wall[1])), 100*float64(median(wall[2]))/float64(median(wall[0])))
	return nil
}

// coldBuilds times builds with an empty build cache (the module cache
// warm), one after the other in each of runs rounds: the template
// package, the floor (which imports goformation's root package, as the
// template package did until it used its own small one) and cfngen.
func coldBuilds(runs int) error {
	type build struct{ dir, pkg string }
	builds := []build{{".", "./template"}, {floorDir, "."}, {".", "./cmd/cfngen"}}
	fmt.Printf("\n## cold builds: %d round(s), GOCACHE empty each time, GOFLAGS=-mod=mod, %d CPUs\n\n", runs, runtime.NumCPU())
	times := make([][]time.Duration, len(builds))
	cpu := make([][]time.Duration, len(builds))
	for range runs {
		for i, b := range builds {
			cache, err := os.MkdirTemp("", "cfngen-gocache-")
			if err != nil {
				return err
			}
			cmd := exec.Command("go", "build", "-o", os.DevNull, b.pkg)
			cmd.Dir = b.dir
			cmd.Env = append(os.Environ(), "GOCACHE="+cache, "GOFLAGS=-mod=mod")
			start := time.Now()
			out, err := cmd.CombinedOutput()
			times[i] = append(times[i], time.Since(start))
			os.RemoveAll(cache)
			if err != nil {
				return fmt.Errorf("go build %s: %v\n%s", b.pkg, err, out)
			}
			// The go command's CPU time counts the compilers and linker it ran.
			cpu[i] = append(cpu[i], cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
		}
	}
	fmt.Println("| command | median | min | max | CPU time, median |")
	fmt.Println("|---|--:|--:|--:|--:|")
	for i, b := range builds {
		c := "GOCACHE=$(mktemp -d) GOFLAGS=-mod=mod go build -o /dev/null " + b.pkg
		if b.dir != "." {
			c = fmt.Sprintf("(cd %s && %s)", b.dir, c)
		}
		s := slices.Sorted(slices.Values(times[i]))
		fmt.Printf("| `%s` | %s | %s | %s | %s |\n", c, sec(median(s)), sec(s[0]), sec(s[len(s)-1]), sec(median(cpu[i])))
	}
	fmt.Printf("\n./template builds in %.2f times the floor's time, and %.2f times its CPU time (medians)\n",
		float64(median(times[0]))/float64(median(times[1])), float64(median(cpu[0]))/float64(median(cpu[1])))
	return nil
}

func sec(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }
