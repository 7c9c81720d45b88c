package preflight

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/cfngen/cfngen/internal/elblogs"
	"github.com/cfngen/cfngen/internal/testkit/moto"
)

var motoServer moto.Server

func TestMain(m *testing.M) { os.Exit(motoServer.Run(m)) }

// TestCheckAccessLogsOnMoto runs the checks against buckets that moto's
// S3 holds: one set up as the README says, and its broken neighbours.
func TestCheckAccessLogsOnMoto(t *testing.T) {
	ctx := context.Background()
	cfg := motoServer.Config(t)
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	stsc := sts.NewFromConfig(cfg)
	id, err := stsc.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	suffix := fmt.Sprint(time.Now().UnixNano())
	bucket := func(name, region, policy string) string {
		name += "-" + suffix
		in := &s3.CreateBucketInput{Bucket: aws.String(name)}
		if region != moto.Region {
			in.CreateBucketConfiguration = &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraint(region)}
		}
		if _, err := s3c.CreateBucket(ctx, in); err != nil {
			t.Fatal(err)
		}
		if policy != "" {
			if _, err := s3c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(name), Policy: aws.String(policy)}); err != nil {
				t.Fatal(err)
			}
		}
		return name
	}
	account := aws.ToString(id.Account)
	good := bucket("logs-good", moto.Region, "")
	if _, err := s3c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(good), Policy: aws.String(elblogs.Policy(moto.Region, good, "web", account))}); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ bucket, want string }{
		{good, ""},
		{"logs-missing-" + suffix, "no such bucket"},
		{bucket("logs-nopolicy", moto.Region, ""), "no bucket policy"},
		{bucket("logs-elsewhere", "eu-west-1", ""), "it is in eu-west-1"},
	}
	for _, c := range cases {
		err := CheckAccessLogs(ctx, s3c, stsc, AccessLogs{Bucket: c.bucket, Prefix: "web", Region: moto.Region})
		var be *BucketError
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.bucket, err)
		case c.want != "" && (!errors.As(err, &be) || !strings.Contains(be.Problem, c.want)):
			t.Errorf("%s: got %v, want a bucket problem saying %q", c.bucket, err, c.want)
		}
	}
}
