package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/cfngen/cfngen/predict"
)

// diffAgainst is `cfngen diff --against FILE`: it predicts the plan of an
// update from FILE, a previous template ("-" for stdin), to the config's
// template, from CloudFormation's resource schemas, with no AWS call.
func diffAgainst(e *env, sf *stackFlags, file string, exitCode bool) error {
	if len(sf.tags.m) > 0 {
		return usageErrorf("--tag: stack tags are not in the template; --against compares templates only")
	}
	cfg, err := loadConfig(*sf.config)
	if err != nil {
		return err
	}
	st, body, _, err := build(cfg, "yaml")
	if err != nil {
		return err
	}
	for _, k := range slices.Sorted(maps.Keys(sf.params.m)) {
		if _, ok := st.Template.Parameters[k]; !ok {
			known := slices.Sorted(maps.Keys(st.Template.Parameters))
			return usageErrorf("--param %s: the template has no such parameter (it has %s)", k, strings.Join(known, ", "))
		}
	}
	var old []byte
	if file == "-" {
		old, err = io.ReadAll(e.stdin)
	} else {
		old, err = os.ReadFile(file)
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return usageErrorf("--against %s: no such file", file)
	case err != nil:
		return usageErrorf("--against %s: %v", file, err)
	}
	plan, err := predict.Predict(old, body, predict.Options{NewParameters: sf.params.m})
	var te *predict.TemplateError
	if errors.As(err, &te) && te.Old {
		return usageErrorf("--against %s: not a CloudFormation template: %v", file, te.Err)
	}
	if err != nil {
		return err
	}
	if len(plan.Changes) == 0 {
		fmt.Fprintf(e.stderr, "no changes: no resource of %s changes\n", file)
		return nil
	}
	if err := plan.WriteTable(e.stdout); err != nil {
		return err
	}
	if exitCode {
		return &exitError{code: 1}
	}
	return nil
}
