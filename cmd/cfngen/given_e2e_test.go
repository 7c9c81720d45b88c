package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// testNetwork is a VPC made through the EC2 API, as a platform team
// would: two public subnets routed to an internet gateway and two private
// ones, in two zones.
type testNetwork struct {
	vpc             string
	public, private []string
}

// makeNetwork creates a VPC in 10.N.0.0/16 with its subnets; the private
// ones get a default route to a NAT gateway when nat is set.
func makeNetwork(t *testing.T, ec *ec2.Client, n int, nat bool) testNetwork {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	vpc, err := ec.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(fmt.Sprintf("10.%d.0.0/16", n))})
	must(err)
	net := testNetwork{vpc: aws.ToString(vpc.Vpc.VpcId)}
	igw, err := ec.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})
	must(err)
	_, err = ec.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{VpcId: aws.String(net.vpc), InternetGatewayId: igw.InternetGateway.InternetGatewayId})
	must(err)
	table := func(target func(*ec2.CreateRouteInput)) string {
		rt, err := ec.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(net.vpc)})
		must(err)
		if target != nil {
			in := &ec2.CreateRouteInput{RouteTableId: rt.RouteTable.RouteTableId, DestinationCidrBlock: aws.String("0.0.0.0/0")}
			target(in)
			_, err = ec.CreateRoute(ctx, in)
			must(err)
		}
		return aws.ToString(rt.RouteTable.RouteTableId)
	}
	subnet := func(i int, rt string) string {
		s, err := ec.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(net.vpc),
			CidrBlock: aws.String(fmt.Sprintf("10.%d.%d.0/24", n, i)), AvailabilityZone: aws.String([]string{"us-east-1a", "us-east-1b"}[i%2])})
		must(err)
		_, err = ec.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: aws.String(rt), SubnetId: s.Subnet.SubnetId})
		must(err)
		return aws.ToString(s.Subnet.SubnetId)
	}
	pub := table(func(in *ec2.CreateRouteInput) { in.GatewayId = igw.InternetGateway.InternetGatewayId })
	net.public = []string{subnet(0, pub), subnet(1, pub)}
	var route func(*ec2.CreateRouteInput)
	if nat {
		eip, err := ec.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc})
		must(err)
		ng, err := ec.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(net.public[0]), AllocationId: eip.AllocationId})
		must(err)
		route = func(in *ec2.CreateRouteInput) { in.NatGatewayId = ng.NatGateway.NatGatewayId }
	}
	priv := table(route)
	net.private = []string{subnet(10, priv), subnet(11, priv)}
	return net
}

// writeConfig writes a config file into a new directory.
func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cfngen.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// stackTypes returns the stack's resources: logical ID -> type and
// physical ID.
func stackTypes(t *testing.T, cfn *cloudformation.Client, stack string) (types, phys map[string]string) {
	t.Helper()
	res, err := cfn.DescribeStackResources(context.Background(), &cloudformation.DescribeStackResourcesInput{StackName: aws.String(stack)})
	if err != nil {
		t.Fatal(err)
	}
	types, phys = map[string]string{}, map[string]string{}
	for _, r := range res.StackResources {
		types[aws.ToString(r.LogicalResourceId)] = aws.ToString(r.ResourceType)
		phys[aws.ToString(r.LogicalResourceId)] = aws.ToString(r.PhysicalResourceId)
	}
	return types, phys
}

// checkInNetwork checks that the stack made no part of a network and put
// its load balancer in the public subnets and its instances round-robin
// in the private ones.
func checkInNetwork(t *testing.T, cfg aws.Config, stack string, net testNetwork, instances int) {
	t.Helper()
	ctx := context.Background()
	types, phys := stackTypes(t, cloudformation.NewFromConfig(cfg), stack)
	for id, typ := range types {
		switch typ {
		case "AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::InternetGateway", "AWS::EC2::VPCGatewayAttachment", "AWS::EC2::RouteTable",
			"AWS::EC2::Route", "AWS::EC2::SubnetRouteTableAssociation", "AWS::EC2::NatGateway", "AWS::EC2::EIP", "AWS::EC2::VPCEndpoint":
			t.Errorf("stack %s made %s, a %s, in a VPC it does not own", stack, id, typ)
		}
	}
	ec := ec2.NewFromConfig(cfg)
	for i := range instances {
		id := phys[fmt.Sprintf("Instance%d", i+1)]
		out, err := ec.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
		if err != nil || len(out.Reservations) != 1 {
			t.Fatalf("instance %d (%s): %v", i+1, id, err)
		}
		in := out.Reservations[0].Instances[0]
		if got, want := aws.ToString(in.SubnetId), net.private[i%len(net.private)]; got != want || aws.ToString(in.VpcId) != net.vpc {
			t.Errorf("Instance%d is in %s of %s, want %s of %s", i+1, got, aws.ToString(in.VpcId), want, net.vpc)
		}
	}
	lbs, err := elbv2.NewFromConfig(cfg).DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{phys["LoadBalancer"]}})
	if err != nil || len(lbs.LoadBalancers) != 1 {
		t.Fatalf("load balancer: %v", err)
	}
	lb := lbs.LoadBalancers[0]
	var subnets []string
	for _, z := range lb.AvailabilityZones {
		subnets = append(subnets, aws.ToString(z.SubnetId))
	}
	if aws.ToString(lb.VpcId) != net.vpc || !slices.Equal(slices.Sorted(slices.Values(subnets)), slices.Sorted(slices.Values(net.public))) {
		t.Errorf("the load balancer is in %v of %s, want the public subnets %v of %s", subnets, aws.ToString(lb.VpcId), net.public, net.vpc)
	}
}

// TestExistingVPCEndToEnd: a platform team's VPC, made through the EC2
// API, takes the stack: no VPC or subnet of its own, the load balancer in
// the public subnets, the instances round-robin in the private ones. The
// same template goes into a second VPC with --param; a subnet of the
// other VPC is refused before any change, and so is a list of another
// length. moto splits the value of a List<...> parameter only when it is
// passed, not its default (CloudFormation splits both), so every deploy
// here passes the subnet lists; golden/existing-vpc.yaml's defaults are
// checked by the golden tests.
func TestExistingVPCEndToEnd(t *testing.T) {
	cfg := useMoto(t)
	ec := ec2.NewFromConfig(cfg)
	first, second := makeNetwork(t, ec, 61, true), makeNetwork(t, ec, 62, false)
	path := writeConfig(t, fmt.Sprintf("vpc:\n  id: %s\n  publicSubnetIds: [%s]\n  privateSubnetIds: [%s]\ninstances:\n  count: 3\n",
		first.vpc, strings.Join(first.public, ", "), strings.Join(first.private, ", ")))

	name := uniqueName("given-vpc")
	code, out, errOut := cli(t, "deploy", "--yes", "-c", path, "--stack-name", name,
		"--param", "PublicSubnetIds="+strings.Join(first.public, ","), "--param", "PrivateSubnetIds="+strings.Join(first.private, ","))
	if code != 0 {
		t.Fatalf("deploy exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if strings.Contains(errOut, "warning") {
		t.Errorf("warnings for a network with NAT:\n%s", errOut)
	}
	checkInNetwork(t, cfg, name, first, 3)

	// The same template, into the second VPC, whose private subnets have
	// no default route: a warning, and the deploy goes on.
	params := []string{"--param", "VpcId=" + second.vpc, "--param", "PublicSubnetIds=" + strings.Join(second.public, ","),
		"--param", "PrivateSubnetIds=" + strings.Join(second.private, ",")}
	name2 := uniqueName("given-vpc2")
	code, out, errOut = cli(t, append([]string{"deploy", "--yes", "-c", path, "--stack-name", name2}, params...)...)
	if code != 0 {
		t.Fatalf("deploy into the second VPC exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "cfngen: warning: private subnet "+second.private[0]+": its route table") || !strings.Contains(errOut, "has no default route") {
		t.Errorf("no warning about the private subnets' way out:\n%s", errOut)
	}
	checkInNetwork(t, cfg, name2, second, 3)

	// A subnet of the other VPC: refused, and nothing is made.
	name3 := uniqueName("given-vpc3")
	bad := strings.Join([]string{first.private[0], second.private[1]}, ",")
	code, _, errOut = cli(t, "deploy", "--yes", "-c", path, "--stack-name", name3, "--param", "PrivateSubnetIds="+bad)
	if code != 1 || !strings.Contains(errOut, "cfngen: error: VPC "+first.vpc+": subnet "+second.private[1]+" is in another VPC, "+second.vpc) ||
		!strings.Contains(errOut, "cfngen: hint: ") {
		t.Errorf("a subnet of another VPC: exit %d\n%s", code, errOut)
	}
	code, _, errOut = cli(t, "deploy", "--yes", "-c", path, "--stack-name", name3, "--param", "PublicSubnetIds=subnet-0123456789abcdef0,"+first.public[1],
		"--param", "PrivateSubnetIds="+strings.Join(first.private, ","))
	if code != 1 || !strings.Contains(errOut, "no subnet subnet-0123456789abcdef0 in this account and region") {
		t.Errorf("a subnet that does not exist: exit %d\n%s", code, errOut)
	}
	code, _, errOut = cli(t, "deploy", "--yes", "-c", path, "--stack-name", name3, "--param", "PrivateSubnetIds="+first.private[0])
	if code != 2 || !strings.Contains(errOut, "--param PrivateSubnetIds: 1 subnets; the template picks 2 by index") {
		t.Errorf("a list of another length: exit %d\n%s", code, errOut)
	}
	if _, err := cloudformation.NewFromConfig(cfg).DescribeStacks(context.Background(), &cloudformation.DescribeStacksInput{StackName: aws.String(name3)}); err == nil {
		t.Errorf("stack %s exists after refused deploys", name3)
	}
}

// selfSigned returns a certificate and key for name, in PEM.
func selfSigned(t *testing.T, name string) (cert, key []byte) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
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

// TestDomainEndToEnd: a hosted zone made through Route 53 and a
// certificate imported into ACM; the stack, with domainName and the zone
// by name, serves HTTPS with that certificate, redirects HTTP, and points
// an alias record at its load balancer. moto does not implement
// AWS::CertificateManager::Certificate in CloudFormation, so the stack
// that creates its certificate (golden/domain.yaml) is covered by cfn-lint
// and the unit tests instead; nor does it resolve the record's
// !GetAtt LoadBalancer.CanonicalHostedZoneID, so the record's target zone
// is not checked here.
func TestDomainEndToEnd(t *testing.T) {
	cfg := useMoto(t)
	ctx := context.Background()
	zoneName := fmt.Sprintf("e2e%d.example", time.Now().UnixNano())
	host := "www." + zoneName
	r53 := route53.NewFromConfig(cfg)
	z, err := r53.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String(zoneName), CallerReference: aws.String(zoneName)})
	if err != nil {
		t.Fatal(err)
	}
	zoneID := strings.TrimPrefix(aws.ToString(z.HostedZone.Id), "/hostedzone/")
	certPEM, keyPEM := selfSigned(t, host)
	ac := acm.NewFromConfig(cfg)
	imported, err := ac.ImportCertificate(ctx, &acm.ImportCertificateInput{Certificate: certPEM, PrivateKey: keyPEM})
	if err != nil {
		t.Fatal(err)
	}
	certARN := aws.ToString(imported.CertificateArn)
	path := writeConfig(t, fmt.Sprintf("loadBalancer:\n  domainName: %s\n  hostedZoneName: %s\n  certificateArn: %s\n", host, zoneName, certARN))

	name := uniqueName("domain")
	code, out, errOut := cli(t, "deploy", "--yes", "-c", path, "--stack-name", name)
	if code != 0 {
		t.Fatalf("deploy exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "cfngen: the hosted zone "+zoneName+" is "+zoneID) {
		t.Errorf("the zone was not looked up by name:\n%s", errOut)
	}
	types, phys := stackTypes(t, cloudformation.NewFromConfig(cfg), name)
	if _, ok := types["Certificate"]; ok {
		t.Errorf("the stack created a certificate though one was given")
	}
	lb := elbv2.NewFromConfig(cfg)
	lbs, err := lb.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{phys["LoadBalancer"]}})
	if err != nil || len(lbs.LoadBalancers) != 1 {
		t.Fatalf("load balancer: %v", err)
	}
	dns := aws.ToString(lbs.LoadBalancers[0].DNSName)
	ls, err := lb.DescribeListeners(ctx, &elbv2.DescribeListenersInput{LoadBalancerArn: aws.String(phys["LoadBalancer"])})
	if err != nil {
		t.Fatal(err)
	}
	var https, redirect bool
	for _, l := range ls.Listeners {
		switch {
		case aws.ToInt32(l.Port) == 443 && l.Protocol == "HTTPS":
			https = len(l.Certificates) == 1 && aws.ToString(l.Certificates[0].CertificateArn) == certARN &&
				strings.HasPrefix(aws.ToString(l.SslPolicy), "ELBSecurityPolicy-TLS13-1-2")
		case aws.ToInt32(l.Port) == 80 && len(l.DefaultActions) == 1 && l.DefaultActions[0].RedirectConfig != nil:
			redirect = aws.ToString(l.DefaultActions[0].RedirectConfig.Protocol) == "HTTPS"
		}
	}
	if !https || !redirect {
		t.Errorf("listeners: HTTPS 443 with the certificate and a TLS 1.2+ policy %v, HTTP 80 redirecting %v", https, redirect)
	}
	records, err := r53.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(zoneID)})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range records.ResourceRecordSets {
		if strings.TrimSuffix(aws.ToString(r.Name), ".") == host && r.Type == r53types.RRTypeA && r.AliasTarget != nil {
			found = strings.TrimSuffix(aws.ToString(r.AliasTarget.DNSName), ".") == dns
		}
	}
	if !found {
		t.Errorf("no alias A record %s -> %s in %+v", host, dns, records.ResourceRecordSets)
	}

	// A certificate ACM has not issued yet, and a zone that is not there,
	// stop the deploy before any change.
	pending, err := ac.RequestCertificate(ctx, &acm.RequestCertificateInput{DomainName: aws.String(host)})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ config, want string }{
		{fmt.Sprintf("loadBalancer:\n  domainName: %s\n  hostedZoneId: %s\n  certificateArn: %s\n", host, zoneID, aws.ToString(pending.CertificateArn)),
			"the certificate is PENDING_VALIDATION; the HTTPS listener needs an issued one"},
		{fmt.Sprintf("loadBalancer:\n  domainName: www.none-%s\n  hostedZoneName: none-%s\n", zoneName, zoneName), "no public hosted zone none-" + zoneName + " in this account"},
		{fmt.Sprintf("loadBalancer:\n  domainName: %s\n  hostedZoneId: ZNONE%d\n", host, time.Now().UnixNano()), "no hosted zone ZNONE"},
	} {
		name := uniqueName("domain-refused")
		code, _, errOut := cli(t, "deploy", "--yes", "-c", writeConfig(t, c.config), "--stack-name", name)
		if code != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("exit %d, want 1 and %q:\n%s", code, c.want, errOut)
		}
	}
}
