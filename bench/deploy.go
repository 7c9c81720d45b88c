package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/cfngen/cfngen/cfnrules"
	"github.com/cfngen/cfngen/internal/testkit/moto"
)

// stackArg stands for the stack name in a deploy command; every run gets
// a new one.
const stackArg = "<unique>"

// deployCmd is one row of the deploy table.
type deployCmd struct {
	config string   // the config whose template it deploys
	argv   []string // with stackArg for the stack name
}

// deploys times deploys of new stacks on a warm moto server: cfngen, the
// bare SDK program (baresdk: the four calls of a change-set deploy and
// nothing else) and `aws cloudformation deploy` of the same (default)
// template, then cfngen with more instances. Runs are interleaved, so that
// a drift in the server's speed touches every command alike.
func deploys(bin, dir string, templates map[string][]byte, runs int) error {
	if _, err := exec.LookPath("aws"); err != nil {
		return errors.New("aws not found on PATH; install it with: pip install 'awscli==1.45.11'")
	}
	endpoint, stop, err := moto.Start()
	if err != nil {
		return err
	}
	defer stop()
	env, vars := awsEnv(endpoint)
	fmt.Printf("\n## deploys of new stacks against moto_server at %s: %d runs each after one warm-up\n\n", endpoint, runs)
	fmt.Printf("every command runs with %s\n", strings.Join(vars, " "))

	tmpl := filepath.Join(dir, "default.yaml")
	if err := os.WriteFile(tmpl, templates["default"], 0o644); err != nil {
		return err
	}
	fmt.Printf("%s holds the output of `cfngen`, the default template\n", filepath.Base(tmpl))
	bare := filepath.Join(dir, "baresdk")
	fmt.Printf("$ go build -o %s ./bench/baresdk\n", bare)
	if out, err := exec.Command("go", "build", "-o", bare, "./bench/baresdk").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	cmds := []deployCmd{
		{"default", []string{bin, "deploy", "--yes", "--stack-name", stackArg}},
		{"default", []string{bare, tmpl, stackArg}},
		{"default", []string{"aws", "cloudformation", "deploy", "--template-file", tmpl, "--stack-name", stackArg, "--capabilities", "CAPABILITY_IAM"}},
		{"instances=2", []string{bin, "deploy", "-c", "bench/instances-2.config.yaml", "--yes", "--stack-name", stackArg}},
		{"instances=50", []string{bin, "deploy", "-c", "bench/instances-50.config.yaml", "--yes", "--stack-name", stackArg}},
	}
	bucket := fmt.Sprintf("cfngen-bench-%d", time.Now().UnixNano())
	madeBucket := false
	for i, c := range cmds {
		if len(templates[c.config]) <= cfnrules.MaxTemplateBody {
			continue
		}
		if !madeBucket {
			fmt.Printf("$ aws s3 mb s3://%s\n", bucket)
			if _, err := measure(nil, env, "aws", "s3", "mb", "s3://"+bucket); err != nil {
				return err
			}
			madeBucket = true
		}
		cmds[i].argv = append(c.argv, "--s3-bucket", bucket)
	}

	// deploy times one deploy of a new stack, each in an account of its
	// own (credentials from STS AssumeRole, untimed): each stack makes a
	// VPC, and cfngen's pre-flight check refuses a deploy beyond an
	// account's quota of 5 VPCs a region. moto sets up an account's EC2,
	// SSM and CloudFormation on their first calls, which takes it seconds
	// (an AWS account has them already): `cfngen validate --online` makes
	// those first calls, untimed.
	accounts := 0
	deploy := func(c deployCmd) (result, error) {
		argv := make([]string, len(c.argv))
		for i, a := range c.argv {
			if a == stackArg {
				a = fmt.Sprintf("bench-%d", time.Now().UnixNano())
			}
			argv[i] = a
		}
		accounts++
		own, err := accountEnv(env, fmt.Sprintf("%012d", 200000000000+accounts))
		if err != nil {
			return result{}, err
		}
		if _, err := measure(nil, own, bin, "validate", "--online"); err != nil {
			return result{}, err
		}
		return measure(nil, own, argv[0], argv[1:]...)
	}
	for _, c := range cmds { // warm-up
		if _, err := deploy(c); err != nil {
			return err
		}
	}
	times := make([][]time.Duration, len(cmds))
	for range runs {
		for i, c := range cmds {
			r, err := deploy(c)
			if err != nil {
				return err
			}
			times[i] = append(times[i], r.wall)
		}
	}

	fmt.Println("\n| config | command | template bytes | median | min | max |")
	fmt.Println("|---|---|--:|--:|--:|--:|")
	for i, c := range cmds {
		argv := make([]string, len(c.argv))
		for j, a := range c.argv {
			switch a {
			case bin, tmpl, bare:
				a = filepath.Base(a)
			case bucket:
				a = "<bucket>"
			}
			argv[j] = a
		}
		fmt.Printf("| %s | `%s` | %d | %s |\n", c.config, strings.Join(argv, " "), len(templates[c.config]), stats(times[i]))
	}
	fmt.Printf("\ncfngen deploy takes %.2f× the time of baresdk, and aws cloudformation deploy %.1f× that of cfngen deploy (medians, same template)\n",
		float64(median(times[0]))/float64(median(times[1])), float64(median(times[2]))/float64(median(times[0])))
	return nil
}

// awsEnv returns this process's environment without its AWS variables,
// plus those that keep every AWS client on the moto server at endpoint;
// vars lists the latter.
func awsEnv(endpoint string) (env, vars []string) {
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, moto.EnvEndpoint+"=") {
			env = append(env, kv)
		}
	}
	vars = []string{
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_ACCESS_KEY_ID=test",
		"AWS_SECRET_ACCESS_KEY=test",
		"AWS_REGION=" + moto.Region,
		"AWS_DEFAULT_REGION=" + moto.Region, // the only one aws CLI v1 reads
		"AWS_ENDPOINT_URL=" + endpoint,
		"AWS_CONFIG_FILE=" + os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull,
	}
	return append(env, vars...), vars
}
