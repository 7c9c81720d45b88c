package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/cfngen/cfngen/cfnrules"
	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/template"
)

const synthUsage = `usage: cfngen [synth] [-c FILE] [--format yaml|json] [--check FILE] [-o FILE]

Synth writes the stack's CloudFormation template to stdout: the built-in
stack, or the one a config file describes. With --check it writes nothing
and compares the template with FILE instead: exit 1 and a diff when they
differ, for drift checks in CI.

Example:
  cfngen -c prod.yaml > stack.yaml
  cfngen -c prod.yaml --check stack.yaml
`

func synth(ctx context.Context, e *env, args []string) error {
	fs := newFlags("synth")
	cfgPath := configFlag(fs)
	format := fs.String("format", "yaml", "write the template as `yaml` or json")
	check := fs.String("check", "", "compare the template with `FILE` instead of writing it")
	out := fs.String("o", "", "write the template to `FILE` (atomically) instead of stdout")
	if err := parse(e, fs, synthUsage, args); err != nil {
		return err
	}
	if *format != "yaml" && *format != "json" {
		return usageErrorf("--format %q: want yaml or json", *format)
	}
	if *check != "" && *out != "" {
		return usageErrorf("--check and -o do not go together: --check writes nothing")
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	_, body, sum, err := build(cfg, *format)
	if err != nil {
		return err
	}
	if sum.NeedsS3() {
		fmt.Fprintf(e.stderr, "cfngen: note: the template is %d bytes, over the %d that CloudFormation takes inline; deploy it with an S3 bucket (cfngen deploy --s3-bucket, aws cloudformation deploy --s3-bucket)\n", sum.Bytes, cfnrules.MaxTemplateBody)
	}
	switch {
	case *check != "":
		want, err := os.ReadFile(*check)
		if err != nil {
			return usageErrorf("--check %s: %v", *check, pathReason(err))
		}
		if bytes.Equal(want, body) {
			return nil
		}
		e.stdout.Write(diff.Diff(*check, want, "cfngen", body))
		return &exitError{code: 1, msg: fmt.Sprintf("%s differs from the generated template; regenerate it with: cfngen%s > %s", *check, flagText(*cfgPath, *format), *check)}
	case *out != "":
		if err := writeFile(*out, body); err != nil {
			if errors.Is(err, os.ErrNotExist) || errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EISDIR) {
				return usageErrorf("-o %s: %v", *out, pathReason(err))
			}
			return fmt.Errorf("-o %s: %w", *out, err)
		}
		return nil
	}
	_, err = e.stdout.Write(body)
	return err
}

// build builds the template and writes it in the format, after the
// offline checks.
func build(cfg *config.Config, format string) (st *template.Stack, body []byte, sum template.Summary, err error) {
	if st, err = template.Build(cfg); err != nil {
		return nil, nil, sum, err
	}
	if format == "json" {
		body, err = st.JSON()
	} else {
		body, err = st.YAML()
	}
	if err != nil {
		return nil, nil, sum, err
	}
	sum, err = st.Check(body)
	return st, body, sum, err
}

func flagText(files configFiles, format string) string {
	s := ""
	for _, f := range files {
		s += " -c " + f
	}
	if format != "yaml" {
		s += " --format " + format
	}
	return s
}

// writeFile writes data to a temporary file beside path, syncs it and
// renames it into place, so that path never holds half a template. The file
// keeps the mode of the one it replaces; a new one gets 0644 less the umask.
func writeFile(path string, data []byte) error {
	dir := filepath.Dir(path)
	mode, keep := os.FileMode(0o644), false
	if st, err := os.Stat(path); err == nil {
		if st.IsDir() {
			return &os.PathError{Op: "write", Path: path, Err: syscall.EISDIR}
		}
		mode, keep = st.Mode().Perm(), true
	}
	var f *os.File
	var err error
	for range 100 {
		name := filepath.Join(dir, "."+filepath.Base(path)+"."+strconv.FormatUint(rand.Uint64(), 36))
		f, err = os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode) // the umask applies
		if !errors.Is(err, os.ErrExist) {
			break
		}
	}
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if keep {
		if err := f.Chmod(mode); err != nil { // exactly the old mode, whatever the umask
			f.Close()
			return err
		}
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil { // make the rename itself durable
		d.Sync()
		d.Close()
	}
	return nil
}

// pathReason is the reason of a file error, without the path it repeats.
func pathReason(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
