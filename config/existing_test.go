package config

import (
	"errors"
	"strings"
	"testing"
)

const (
	vpcA  = "vpc-0a1b2c3d4e5f60718"
	pubA  = "subnet-0aaaaaaaaaaaaaaa1"
	pubB  = "subnet-0aaaaaaaaaaaaaaa2"
	privA = "subnet-0bbbbbbbbbbbbbbb1"
	privB = "subnet-0bbbbbbbbbbbbbbb2"
)

// existing is a valid config of an existing VPC, in flow style, with
// extra keys for vpc.
func existing(extra string) string {
	return "vpc: {id: " + vpcA + ", publicSubnetIds: [" + pubA + ", " + pubB + "], privateSubnetIds: [" + privA + ", " + privB + "]" + extra + "}"
}

func TestExistingVPC(t *testing.T) {
	c, err := Parse([]byte(existing("")), ".")
	if err != nil {
		t.Fatal(err)
	}
	if !c.ExistingVPC() || c.VPC.ID != vpcA || len(c.VPC.PublicSubnetIDs) != 2 || c.VPC.PrivateSubnetIDs[1] != privB {
		t.Errorf("not read: %+v", c.VPC)
	}
	if Default().ExistingVPC() {
		t.Error("the default config has an existing VPC")
	}
	short, err := Parse([]byte("vpc: {id: vpc-0123abcd, publicSubnetIds: [subnet-0123abcd, subnet-4567abcd], privateSubnetIds: [subnet-89abcdef, subnet-01234567]}"), ".")
	if err != nil || short.VPC.ID != "vpc-0123abcd" {
		t.Errorf("8-digit IDs: %v", err)
	}
}

// TestExistingVPCErrors: each bad existing-VPC config gives one error
// that names the key and says why.
func TestExistingVPCErrors(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, key, reason string
	}{
		{"no vpc id", "vpc: {publicSubnetIds: [" + pubA + ", " + pubB + "]}", "vpc.publicSubnetIds", "set vpc.id"},
		{"private only, no vpc id", "vpc: {privateSubnetIds: [" + privA + "]}", "vpc.privateSubnetIds", "set vpc.id"},
		{"bad vpc id", "vpc: {id: vpc-xyz, publicSubnetIds: [" + pubA + ", " + pubB + "], privateSubnetIds: [" + privA + ", " + privB + "]}", "vpc.id", `"vpc-xyz" is not a VPC ID`},
		{"upper-case vpc id", "vpc: {id: VPC-0123ABCD, publicSubnetIds: [" + pubA + ", " + pubB + "], privateSubnetIds: [" + privA + ", " + privB + "]}", "vpc.id", "not a VPC ID"},
		{"no subnets", "vpc: {id: " + vpcA + "}", "vpc.publicSubnetIds", "0 subnets given; the load balancer needs at least 2"},
		{"one public", "vpc: {id: " + vpcA + ", publicSubnetIds: [" + pubA + "], privateSubnetIds: [" + privA + ", " + privB + "]}", "vpc.publicSubnetIds", "1 subnets given; the load balancer needs at least 2, in different Availability Zones"},
		{"one private", "vpc: {id: " + vpcA + ", publicSubnetIds: [" + pubA + ", " + pubB + "], privateSubnetIds: [" + privA + "]}", "vpc.privateSubnetIds", "high availability needs at least 2"},
		{"bad subnet id", "vpc: {id: " + vpcA + ", publicSubnetIds: [" + pubA + ", sn-1], privateSubnetIds: [" + privA + ", " + privB + "]}", "vpc.publicSubnetIds[1]", `"sn-1" is not a subnet ID`},
		{"a vpc id as subnet", "vpc: {id: " + vpcA + ", publicSubnetIds: [" + pubA + ", " + pubB + "], privateSubnetIds: [" + privA + ", " + vpcA + "]}", "vpc.privateSubnetIds[1]", "not a subnet ID"},
		{"subnet twice", "vpc: {id: " + vpcA + ", publicSubnetIds: [" + pubA + ", " + pubA + "], privateSubnetIds: [" + privA + ", " + privB + "]}", "vpc.publicSubnetIds[1]", "also vpc.publicSubnetIds[0]"},
		{"public and private", "vpc: {id: " + vpcA + ", publicSubnetIds: [" + pubA + ", " + pubB + "], privateSubnetIds: [" + privA + ", " + pubB + "]}", "vpc.privateSubnetIds[1]", "each subnet is given once: public (the load balancer's) or private (the instances')"},
		{"not a list", "vpc: {id: " + vpcA + ", publicSubnetIds: " + pubA + "}", "vpc.publicSubnetIds", "want a list of strings"},
		{"cidr", existing(", cidr: 10.0.0.0/16"), "vpc.cidr", "does not apply to an existing VPC (vpc.id): its address range is its owner's"},
		{"azCount", existing(", azCount: 2"), "vpc.azCount", "the subnets given decide the Availability Zones"},
		{"natGateways", existing(", natGateways: 0"), "vpc.natGateways", "way out"},
		{"subnetMask", existing(", subnetMask: 24"), "vpc.subnetMask", "creates no subnets"},
		{"publicSubnets", existing(", publicSubnets: [10.0.0.0/24, 10.0.1.0/24]"), "vpc.publicSubnets", "vpc.publicSubnetIds"},
		{"privateSubnets", existing(", privateSubnets: []"), "vpc.privateSubnets", "vpc.privateSubnetIds"},
		{"endpoints", existing(", endpoints: [ssm]"), "vpc.endpoints", "route tables the stack does not own"},
		{"empty endpoints", existing(", endpoints: []"), "vpc.endpoints", "name resolution for the whole VPC"},
		{"flowLogs", existing(", flowLogs: true"), "vpc.flowLogs", "every application"},
		{"flowLogsDays", existing(", flowLogsDays: 30"), "vpc.flowLogsDays", "its flow logs are its owner's"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), ".")
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want a *config.Error", err)
			}
			if ce.Key != tc.key || !strings.Contains(ce.Reason, tc.reason) {
				t.Errorf("got %q: %q, want %q: ...%s...", ce.Key, ce.Reason, tc.key, tc.reason)
			}
		})
	}
}

// TestExistingVPCInCode: a config built in code that sets a key of a
// built network beside vpc.id is refused as a file would be.
func TestExistingVPCInCode(t *testing.T) {
	c := Default()
	c.VPC.ID, c.VPC.PublicSubnetIDs, c.VPC.PrivateSubnetIDs = vpcA, []string{pubA, pubB}, []string{privA, privB}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c.VPC.NATGateways = 0
	var ce *Error
	if err := c.Validate(); !errors.As(err, &ce) || ce.Key != "vpc.natGateways" {
		t.Errorf("natGateways 0 with vpc.id: got %v", err)
	}
}

func TestDomain(t *testing.T) {
	for _, y := range []string{
		"loadBalancer: {domainName: app.example.com, hostedZoneId: Z0123456789ABCDEFGHIJ}",
		"loadBalancer: {domainName: app.example.com, hostedZoneName: example.com}",
		"loadBalancer: {domainName: example.com, hostedZoneName: example.com}",
		"loadBalancer: {domainName: a-1.b.example.co.uk, hostedZoneId: Z1D633PJN98FT9}",
		"loadBalancer: {domainName: app.example.com, hostedZoneId: Z1D633PJN98FT9, certificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/12345678-1234-1234-1234-123456789012'}",
	} {
		c, err := Parse([]byte(y), ".")
		if err != nil {
			t.Errorf("%s: %v", y, err)
			continue
		}
		if !c.HTTPS() {
			t.Errorf("%s: no HTTPS", y)
		}
		if c.CreatesCertificate() != (c.LoadBalancer.CertificateArn == "") {
			t.Errorf("%s: creates a certificate: %v", y, c.CreatesCertificate())
		}
	}
	if c := Default(); c.HTTPS() || c.CreatesCertificate() {
		t.Error("the default serves HTTPS")
	}
}

func TestDomainErrors(t *testing.T) {
	const zone = ", hostedZoneId: Z0123456789ABCDEFGHIJ"
	for _, tc := range []struct {
		name, yaml, key, reason string
	}{
		{"no zone", "loadBalancer: {domainName: app.example.com}", "loadBalancer.domainName", "needs loadBalancer.hostedZoneId (or hostedZoneName)"},
		{"zone without name", "loadBalancer: {hostedZoneId: Z0123456789ABCDEFGHIJ}", "loadBalancer.hostedZoneId", "applies only with loadBalancer.domainName"},
		{"zone name without name", "loadBalancer: {hostedZoneName: example.com}", "loadBalancer.hostedZoneName", "applies only with loadBalancer.domainName"},
		{"both zones", "loadBalancer: {domainName: app.example.com, hostedZoneName: example.com" + zone + "}", "loadBalancer.hostedZoneName", "not both"},
		{"bad zone id", "loadBalancer: {domainName: app.example.com, hostedZoneId: z123}", "loadBalancer.hostedZoneId", `"z123" is not a Route 53 hosted zone ID`},
		{"long zone id", "loadBalancer: {domainName: app.example.com, hostedZoneId: Z123456789012345678901234567890123}", "loadBalancer.hostedZoneId", "not a Route 53 hosted zone ID"},
		{"zone id path", "loadBalancer: {domainName: app.example.com, hostedZoneId: /hostedzone/Z123}", "loadBalancer.hostedZoneId", "without /hostedzone/: Z123"},
		{"zone id with space", "loadBalancer: {domainName: app.example.com, hostedZoneId: 'Z12 3'}", "loadBalancer.hostedZoneId", "not a Route 53 hosted zone ID"},
		{"upper case", "loadBalancer: {domainName: App.Example.com" + zone + "}", "loadBalancer.domainName", "lower case: app.example.com"},
		{"final dot", "loadBalancer: {domainName: app.example.com." + zone + "}", "loadBalancer.domainName", "without the final dot"},
		{"wildcard", "loadBalancer: {domainName: '*.example.com'" + zone + "}", "loadBalancer.domainName", "a wildcard names no one host"},
		{"url", "loadBalancer: {domainName: 'https://app.example.com'" + zone + "}", "loadBalancer.domainName", "is a URL"},
		{"one label", "loadBalancer: {domainName: localhost" + zone + "}", "loadBalancer.domainName", `"localhost" is not a domain name`},
		{"underscore", "loadBalancer: {domainName: my_app.example.com" + zone + "}", "loadBalancer.domainName", "not a domain name"},
		{"leading hyphen", "loadBalancer: {domainName: -app.example.com" + zone + "}", "loadBalancer.domainName", "not a domain name"},
		{"numeric tld", "loadBalancer: {domainName: 10.0.0.1" + zone + "}", "loadBalancer.domainName", "not a domain name"},
		{"long label", "loadBalancer: {domainName: " + strings.Repeat("a", 64) + ".example.com" + zone + "}", "loadBalancer.domainName", "not a domain name"},
		{"too long", "loadBalancer: {domainName: " + strings.Repeat("abcdefghi.", 26) + "com" + zone + "}", "loadBalancer.domainName", "263 characters; DNS takes at most 253"},
		{"bad zone name", "loadBalancer: {domainName: app.example.com, hostedZoneName: 'example com'}", "loadBalancer.hostedZoneName", "not a domain name"},
		{"zone name dot", "loadBalancer: {domainName: app.example.com, hostedZoneName: example.com.}", "loadBalancer.hostedZoneName", "without the final dot"},
		{"name outside zone", "loadBalancer: {domainName: app.example.org, hostedZoneName: example.com}", "loadBalancer.domainName", "app.example.org is not in the hosted zone example.com"},
		{"suffix without dot", "loadBalancer: {domainName: badexample.com, hostedZoneName: example.com}", "loadBalancer.domainName", "not in the hosted zone"},
		{"not a string", "loadBalancer: {domainName: 12" + zone + "}", "loadBalancer.domainName", "want a string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), ".")
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want a *config.Error", err)
			}
			if ce.Key != tc.key || !strings.Contains(ce.Reason, tc.reason) {
				t.Errorf("got %q: %q, want %q: ...%s...", ce.Key, ce.Reason, tc.key, tc.reason)
			}
		})
	}
}
