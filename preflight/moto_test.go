package preflight

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/servicequotas"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
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

// selfSigned returns a certificate and its key, PEM-encoded, for ACM's
// ImportCertificate.
func selfSigned(t *testing.T) (cert, key []byte) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "web.example.com"}, DNSNames: []string{"web.example.com"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
}

// TestChecksOnMoto runs the account checks against moto's EC2, ACM, SSM
// and Service Quotas, in an account of the test's own.
func TestChecksOnMoto(t *testing.T) {
	ctx := context.Background()
	cfg, _, err := moto.NewAccount(ctx, motoServer.Config(t))
	if err != nil {
		t.Fatal(err)
	}
	ec2c, ssmc, acmc, quotas := ec2.NewFromConfig(cfg), ssm.NewFromConfig(cfg), acm.NewFromConfig(cfg), servicequotas.NewFromConfig(cfg)

	var ze *ZonesError
	if err := CheckZones(ctx, ec2c, "us-west-1", 3); !errors.As(err, &ze) || ze.Have != 2 {
		t.Errorf("us-west-1, 3 AZs: got %v, want a ZonesError for 2 zones", err)
	}
	if err := CheckZones(ctx, ec2c, moto.Region, 3); err != nil {
		t.Errorf("%s, 3 AZs: %v", moto.Region, err)
	}

	crt, key := selfSigned(t)
	imported := func(region string) string {
		out, err := acmc.ImportCertificate(ctx, &acm.ImportCertificateInput{Certificate: crt, PrivateKey: key}, func(o *acm.Options) { o.Region = region })
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.CertificateArn)
	}
	requested, err := acmc.RequestCertificate(ctx, &acm.RequestCertificateInput{DomainName: aws.String("web.example.com")})
	if err != nil {
		t.Fatal(err)
	}
	for arn, want := range map[string]string{
		imported(moto.Region):                  "",
		imported("eu-west-1"):                  "it is in eu-west-1",
		aws.ToString(requested.CertificateArn): "its status is PENDING_VALIDATION",
	} {
		err := CheckCertificate(ctx, acmc, arn, moto.Region)
		var ce *CertificateError
		switch {
		case want == "" && err != nil:
			t.Errorf("%s: %v", arn, err)
		case want != "" && (!errors.As(err, &ce) || !strings.HasPrefix(ce.Problem, want)):
			t.Errorf("%s: got %v, want %q", arn, err, want)
		}
	}

	const x86, arm = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
	for _, c := range []struct{ typ, image, want string }{
		{"t3.micro", x86, ""},
		{"t4g.small", arm, ""},
		{"t4g.small", x86, "instance type t4g.small runs arm64, but the image ami-"},
	} {
		err := CheckArchitecture(ctx, ec2c, ssmc, moto.Region, c.typ, c.image)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.HasPrefix(err.Error(), c.want)) {
			t.Errorf("%s on %s: got %v, want %q", c.typ, c.image, err, c.want)
		}
	}

	for range 4 {
		if _, err := ec2c.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc}); err != nil {
			t.Fatal(err)
		}
	}
	var qe *QuotaError
	if err := CheckHeadroom(ctx, ec2c, quotas, moto.Region, Need{VPCs: 1, EIPs: 1}); err != nil {
		t.Errorf("one more VPC and EIP: %v", err)
	}
	if err := CheckHeadroom(ctx, ec2c, quotas, moto.Region, Need{EIPs: 2}); !errors.As(err, &qe) || qe.Used != 4 || qe.Quota != 5 {
		t.Errorf("two more EIPs: got %v, want a QuotaError for 4 of 5", err)
	}
	if err := CheckHeadroom(ctx, ec2c, quotas, moto.Region, Need{VPCs: 5}); !errors.As(err, &qe) || qe.What != "VPCs" || !qe.Known {
		t.Errorf("five more VPCs: got %v, want a QuotaError from the known quota", err)
	}
}
