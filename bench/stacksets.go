package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cfngen/cfngen/internal/testkit/moto"
)

// stackSetRegions are the regions of the stack set benchmark.
var stackSetRegions = []string{"us-east-1", "eu-west-1"}

// stackSets times, on a warm moto server, `cfngen stackset deploy` of the
// default stack to an OU of 2 accounts in 2 regions, beside the same 4
// stacks deployed one after another with `cfngen deploy`, each with the
// credentials of its account (STS AssumeRole). The organization is made
// with the aws CLI. Runs are interleaved.
func stackSets(bin string, runs int) error {
	endpoint, stop, err := moto.Start()
	if err != nil {
		return err
	}
	defer stop()
	env, _ := awsEnv(endpoint)
	fmt.Printf("\n## stack set deploy of 2 accounts x 2 regions against moto_server at %s: %d runs each after one warm-up\n\n", endpoint, runs)

	aws := func(out any, args ...string) error {
		var b bytes.Buffer
		if _, err := measure(&b, env, "aws", append(args, "--output", "json")...); err != nil {
			return err
		}
		if out == nil {
			return nil
		}
		return json.Unmarshal(b.Bytes(), out)
	}
	if err := aws(nil, "organizations", "create-organization", "--feature-set", "ALL"); err != nil && !strings.Contains(err.Error(), "AlreadyInOrganization") {
		return err
	}
	var roots struct{ Roots []struct{ Id string } }
	if err := aws(&roots, "organizations", "list-roots"); err != nil || len(roots.Roots) != 1 {
		return fmt.Errorf("list the organization's roots: %v (%d roots)", err, len(roots.Roots))
	}
	root := roots.Roots[0].Id
	// Each run gets an OU of 2 new accounts, made untimed: every stack
	// makes a VPC, and cfngen's pre-flight check refuses a deploy beyond
	// an account's quota of 5 VPCs a region.
	type target struct {
		ou   string
		envs [][]string // each account's: this environment with its credentials
	}
	newTarget := func() (target, error) {
		tag := fmt.Sprintf("bench-%d", time.Now().UnixNano())
		var ou struct{ OrganizationalUnit struct{ Id string } }
		if err := aws(&ou, "organizations", "create-organizational-unit", "--parent-id", root, "--name", tag); err != nil {
			return target{}, err
		}
		t := target{ou: ou.OrganizationalUnit.Id}
		for _, n := range []string{"a", "b"} {
			var acc struct{ CreateAccountStatus struct{ AccountId string } }
			if err := aws(&acc, "organizations", "create-account", "--account-name", tag+n, "--email", tag+n+"@example.com"); err != nil {
				return target{}, err
			}
			id := acc.CreateAccountStatus.AccountId
			if err := aws(nil, "organizations", "move-account", "--account-id", id, "--source-parent-id", root, "--destination-parent-id", t.ou); err != nil {
				return target{}, err
			}
			e, err := accountEnv(env, id)
			if err != nil {
				return target{}, err
			}
			t.envs = append(t.envs, e)
		}
		return t, nil
	}
	fmt.Println("organization: each run deploys to an OU of 2 new accounts; each `cfngen deploy` runs with its account's credentials from `aws sts assume-role`")

	set := func(t target) (time.Duration, error) {
		r, err := measure(nil, env, bin, "stackset", "deploy", "--stack-set-name", fmt.Sprintf("bench-%d", time.Now().UnixNano()),
			"--org-units", t.ou, "--regions", strings.Join(stackSetRegions, ","), "--yes")
		return r.wall, err
	}
	oneByOne := func(t target) (time.Duration, error) {
		var total time.Duration
		name := fmt.Sprintf("bench-%d", time.Now().UnixNano())
		for _, e := range t.envs {
			for _, region := range stackSetRegions {
				r, err := measure(nil, e, bin, "deploy", "--yes", "--stack-name", name, "--region", region)
				if err != nil {
					return 0, err
				}
				total += r.wall
			}
		}
		return total, nil
	}
	cmds := []struct {
		text string
		run  func(target) (time.Duration, error)
	}{
		{"`cfngen stackset deploy --org-units OU --regions " + strings.Join(stackSetRegions, ",") + " --yes`", set},
		{"4 × `cfngen deploy --yes --stack-name NAME --region R`, one account and region after another", oneByOne},
	}
	for _, c := range cmds { // warm-up
		t, err := newTarget()
		if err != nil {
			return err
		}
		if _, err := c.run(t); err != nil {
			return err
		}
	}
	times := make([][]time.Duration, len(cmds))
	for range runs {
		for i, c := range cmds {
			t, err := newTarget()
			if err != nil {
				return err
			}
			d, err := c.run(t)
			if err != nil {
				return err
			}
			times[i] = append(times[i], d)
		}
	}
	fmt.Println("\n| command | stacks | median | min | max |")
	fmt.Println("|---|--:|--:|--:|--:|")
	for i, c := range cmds {
		fmt.Printf("| %s | 4 | %s |\n", c.text, stats(times[i]))
	}
	fmt.Printf("\nthe four deploys one by one take %.1f× the time of the stack set deploy (medians); moto finishes stack set operations within the call\n",
		float64(median(times[1]))/float64(median(times[0])))
	return nil
}

// accountEnv returns env with the credentials of account, from STS
// AssumeRole on the moto server env names.
func accountEnv(env []string, account string) ([]string, error) {
	var b bytes.Buffer
	if _, err := measure(&b, env, "aws", "sts", "assume-role", "--role-arn", "arn:aws:iam::"+account+":role/bench",
		"--role-session-name", "bench", "--output", "json"); err != nil {
		return nil, err
	}
	var cr struct {
		Credentials struct{ AccessKeyId, SecretAccessKey, SessionToken string }
	}
	if err := json.Unmarshal(b.Bytes(), &cr); err != nil {
		return nil, err
	}
	return append(slices.Clip(env), "AWS_ACCESS_KEY_ID="+cr.Credentials.AccessKeyId,
		"AWS_SECRET_ACCESS_KEY="+cr.Credentials.SecretAccessKey, "AWS_SESSION_TOKEN="+cr.Credentials.SessionToken), nil
}
