package deploy

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// upload puts body in the bucket under a key named for its SHA-256, unless
// an object of that name is already there, and returns the URL to pass as
// TemplateURL.
func (r *run) upload(ctx context.Context, stack, bucket string, body []byte) (string, error) {
	d := r.d
	if d.S3 == nil {
		return "", errors.New("upload template: no S3 client")
	}
	if d.Region == "" {
		return "", errors.New("upload template: no region for the S3 URL")
	}
	sum := sha256.Sum256(body)
	key := "cfngen/" + stack + "/" + hex.EncodeToString(sum[:])
	contentType := "application/x-yaml"
	if isJSON(body) {
		key += ".json"
		contentType = "application/json"
	} else {
		key += ".yaml"
	}
	where := "s3://" + bucket + "/" + key
	_, err := r.cfn.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	switch {
	case err == nil:
		fmt.Fprintf(d.log(), "template already in %s\n", where)
	case mayBeMissing(err):
		_, err = r.cfn.PutObject(ctx, &s3.PutObjectInput{
			Bucket:      aws.String(bucket),
			Key:         aws.String(key),
			Body:        bytes.NewReader(body),
			ContentType: aws.String(contentType),
		})
		if err != nil {
			return "", fmt.Errorf("upload template to %s: %w", where, err)
		}
		fmt.Fprintf(d.log(), "uploaded template to %s\n", where)
	default:
		return "", fmt.Errorf("look for template in %s: %w", where, err)
	}
	return templateURL(bucket, d.Region, key), nil
}

// mayBeMissing reports whether a HeadObject error means the object may not
// be there. Without s3:ListBucket, S3 answers 403 for a missing object, so
// that is an upload too: the key is content-addressed and PutObject is safe.
func mayBeMissing(err error) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	switch ae.ErrorCode() {
	case "NotFound", "NoSuchKey", "Forbidden", "AccessDenied":
		return true
	}
	return false
}

// templateURL returns the HTTPS URL of the uploaded template.
//
// Real AWS accepts virtual-hosted and path-style S3 URLs for TemplateURL.
// moto 5.2.1 never fetches the URL: it parses it and reads its own S3
// store. For a host under amazonaws.com that starts with "s3" it takes the
// bucket from the path, otherwise the first label of the host. Tried
// against moto: both forms work, with or without the region in the host,
// except virtual-hosted for a bucket name with dots, which gives
// NoSuchBucket. Dotted names also break TLS on real virtual-hosted URLs, so
// they get path style; other names get virtual-hosted style, which AWS
// recommends. moto_test.go deploys through both.
func templateURL(bucket, region, key string) string {
	if strings.Contains(bucket, ".") {
		return "https://s3." + region + ".amazonaws.com/" + bucket + "/" + key
	}
	return "https://" + bucket + ".s3." + region + ".amazonaws.com/" + key
}
