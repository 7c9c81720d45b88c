#!/usr/bin/env python3
"""Writes schemas.json: the create-only properties of the resource types
cfngen emits (and those its next issues add), from the CloudFormation
resource schemas that cfn-lint bundles.

Run it with `go generate ./predict/` after upgrading cfn-lint, and review
the diff. It refuses any cfn-lint but the pinned version, so that the
snapshot only moves on purpose.
"""

import json
import sys

import cfnlint.version
from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

CFN_LINT = "1.51.0"  # pinned: the README's install line uses the same
REGION = "us-east-1"
PREFIXES = (
    "AWS::AutoScaling::",
    "AWS::EC2::",
    "AWS::ElasticLoadBalancingV2::",
    "AWS::IAM::",
)
TYPES = (
    "AWS::CertificateManager::Certificate",
    "AWS::Logs::LogGroup",
    "AWS::Route53::RecordSet",
    "AWS::S3::Bucket",
    "AWS::S3::BucketPolicy",
)


def pointers(schema, key):
    # "/properties/Tags/*/Key" -> "Tags/*/Key"
    out = []
    for p in schema.get(key) or []:
        if not p.startswith("/properties/"):
            sys.exit("unexpected pointer %r" % p)
        out.append(p[len("/properties/"):])
    return sorted(set(out))


def main():
    if cfnlint.version.__version__ != CFN_LINT:
        sys.exit("gen_schemas.py: cfn-lint %s is installed; the snapshot is pinned to %s"
                 % (cfnlint.version.__version__, CFN_LINT))
    names = sorted(t for t in PROVIDER_SCHEMA_MANAGER.get_resource_types(REGION)
                   if t.startswith(PREFIXES) or t in TYPES)
    missing = set(TYPES) - set(names)
    if missing:
        sys.exit("gen_schemas.py: no schema for %s" % ", ".join(sorted(missing)))
    lines = []
    for name in names:
        schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema(REGION, name).schema
        entry = {"createOnly": pointers(schema, "createOnlyProperties")}
        cond = pointers(schema, "conditionalCreateOnlyProperties")
        if cond:
            entry["conditionalCreateOnly"] = cond
        lines.append("    %s: %s" % (json.dumps(name), json.dumps(entry)))
    with open("schemas.json", "w") as f:
        f.write("{\n")
        f.write('  "cfnLint": %s,\n' % json.dumps(CFN_LINT))
        f.write('  "region": %s,\n' % json.dumps(REGION))
        f.write('  "types": {\n')
        f.write(",\n".join(lines))
        f.write("\n  }\n}\n")


main()
