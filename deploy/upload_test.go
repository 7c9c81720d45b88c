package deploy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/cfngen/cfngen/cfnrules"
)

// bigTemplate is testTemplate padded over the inline limit.
func bigTemplate() []byte {
	pad := "Metadata:\n  Padding: " + strings.Repeat("x", cfnrules.MaxTemplateBody) + "\n"
	return []byte(pad + testTemplate)
}

// memoryBucket returns a fakeUploader that keeps objects in a map.
func memoryBucket() (*fakeUploader, map[string][]byte) {
	objects := map[string][]byte{}
	return &fakeUploader{
		HeadObjectFunc: func(_ context.Context, in *s3.HeadObjectInput) (*s3.HeadObjectOutput, error) {
			if _, ok := objects[*in.Bucket+"/"+*in.Key]; !ok {
				return nil, &types.NotFound{Message: aws.String("Not Found")}
			}
			return &s3.HeadObjectOutput{}, nil
		},
		PutObjectFunc: func(_ context.Context, in *s3.PutObjectInput) (*s3.PutObjectOutput, error) {
			b, err := io.ReadAll(in.Body)
			objects[*in.Bucket+"/"+*in.Key] = b
			return &s3.PutObjectOutput{}, err
		},
	}, objects
}

func TestTemplateTooLargeWithoutBucket(t *testing.T) {
	s := newSim(t)
	up := &fakeUploader{}
	d, _, _ := s.deployer()
	d.S3 = up
	in := testInput()
	in.Template = bigTemplate()
	_, err := d.Deploy(context.Background(), in)
	if !errors.Is(err, ErrTemplateTooLarge) {
		t.Fatalf("Deploy: %v, want ErrTemplateTooLarge", err)
	}
	check(t, "error", err.Error(), "template too large: 51640 bytes is over the 51200-byte limit for an inline template: give an S3 bucket to upload it to")
	check(t, "CloudFormation calls", s.api.Calls, []string(nil))
	check(t, "S3 calls", up.Calls, []string(nil))
}

func TestTemplateThroughS3(t *testing.T) {
	s := newSim(t)
	s.changes = addChanges
	s.onExecute = createScript(s)
	up, objects := memoryBucket()
	d, _, log := s.deployer()
	d.S3 = up
	in := testInput()
	in.Template = bigTemplate()
	in.S3Bucket = "cfngen-templates"
	sum := sha256.Sum256(in.Template)
	key := "cfngen/web/" + hex.EncodeToString(sum[:]) + ".yaml"

	if _, err := d.Deploy(context.Background(), in); err != nil {
		t.Fatalf("first Deploy: %v\nlog:\n%s", err, log)
	}
	check(t, "S3 calls", up.Calls, []string{"HeadObject cfngen-templates/" + key, "PutObject cfngen-templates/" + key})
	check(t, "object", string(objects["cfngen-templates/"+key]), string(in.Template))
	check(t, "TemplateURL", aws.ToString(s.created[0].TemplateURL), "https://cfngen-templates.s3.eu-west-1.amazonaws.com/"+key)
	check(t, "TemplateBody", s.created[0].TemplateBody, (*string)(nil))
	if !strings.Contains(log.String(), "uploaded template to s3://cfngen-templates/"+key+"\n") {
		t.Errorf("Log:\n%s", log)
	}

	// Same template again: found by its hash, not uploaded again.
	s.csStatus, s.csReason = "FAILED", "No updates are to be performed."
	log.Reset()
	if _, err := d.Deploy(context.Background(), in); !errors.Is(err, ErrNoChanges) {
		t.Fatalf("second Deploy: %v, want ErrNoChanges", err)
	}
	check(t, "S3 calls", up.Calls[2:], []string{"HeadObject cfngen-templates/" + key})
	check(t, "second TemplateURL", aws.ToString(s.created[1].TemplateURL), "https://cfngen-templates.s3.eu-west-1.amazonaws.com/"+key)
	if !strings.HasPrefix(log.String(), "template already in s3://cfngen-templates/"+key+"\n") {
		t.Errorf("Log:\n%s", log)
	}
}

func TestUploadErrors(t *testing.T) {
	s := newSim(t)
	d, _, _ := s.deployer()
	in := testInput()
	in.Template = bigTemplate()
	in.S3Bucket = "cfngen-templates"

	_, err := d.Deploy(context.Background(), in)
	check(t, "no client", err.Error(), "upload template: no S3 client")

	d.S3 = &fakeUploader{HeadObjectFunc: func(context.Context, *s3.HeadObjectInput) (*s3.HeadObjectOutput, error) {
		return nil, apiError("PermanentRedirect", "The bucket you are attempting to access must be addressed using the specified endpoint.")
	}}
	_, err = d.Deploy(context.Background(), in)
	if err == nil || !strings.HasPrefix(err.Error(), "look for template in s3://cfngen-templates/cfngen/web/") ||
		!strings.HasSuffix(err.Error(), ".yaml: PermanentRedirect: The bucket you are attempting to access must be addressed using the specified endpoint.") {
		t.Errorf("HeadObject error: %v", err)
	}
	check(t, "no change set", s.mutations(), []string(nil))
}

func TestUploadWhenHeadIsForbidden(t *testing.T) {
	// Without s3:ListBucket a missing object answers 403: upload anyway.
	s := newSim(t)
	s.changes = addChanges
	s.onExecute = createScript(s)
	up, objects := memoryBucket()
	up.HeadObjectFunc = func(context.Context, *s3.HeadObjectInput) (*s3.HeadObjectOutput, error) {
		return nil, apiError("Forbidden", "Forbidden")
	}
	d, _, _ := s.deployer()
	d.S3 = up
	in := testInput()
	in.Template = bigTemplate()
	in.S3Bucket = "b"
	if _, err := d.Deploy(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	check(t, "uploaded", len(objects), 1)
}

func TestTemplateURL(t *testing.T) {
	check(t, "virtual-hosted", templateURL("my-bucket", "eu-west-1", "cfngen/web/abc.json"),
		"https://my-bucket.s3.eu-west-1.amazonaws.com/cfngen/web/abc.json")
	check(t, "path style for dotted names", templateURL("my.bucket", "eu-west-1", "cfngen/web/abc.yaml"),
		"https://s3.eu-west-1.amazonaws.com/my.bucket/cfngen/web/abc.yaml")
}

func TestUploadKeyOfJSONTemplate(t *testing.T) {
	up, objects := memoryBucket()
	d := &Deployer{S3: up, Region: "us-east-1"}
	body := []byte("\n  {\"Resources\": {}}")
	url, err := d.newRun("web", 0).upload(context.Background(), "web", "b", body)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	key := "cfngen/web/" + hex.EncodeToString(sum[:]) + ".json"
	check(t, "url", url, "https://b.s3.us-east-1.amazonaws.com/"+key)
	check(t, "stored", string(objects["b/"+key]), string(body))
}
