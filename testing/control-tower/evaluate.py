#!/usr/bin/env python3
"""AWS Control Tower proactive controls, evaluated offline on a stack's resources as CloudFormation hooks see them.

Control Tower's proactive controls are cfn-guard rules that a CloudFormation hook runs on each resource before
CloudFormation creates or updates it, with the resource's properties resolved (parameters, Ref, GetAtt, Sub...).
The rules and the cfn-guard binary come from the npm package @cdklabs/cdk-validator-cfnguard, pinned in
package.json and installed by `npm ci --prefix testing/control-tower` (scripts/test does it).

Usage:
  evaluate.py --resources FILE [--region us-east-1]
      FILE is {"Resources": {LogicalId: {"Type": T, "Properties": {...resolved...}}}}, with values as
      CloudFormation resolves them: a parameter's value is a string, whatever the property's type. Values are
      first converted to the types of the resource's CloudFormation registry schema (the schemas cfn-lint
      ships: RetentionInDays "365" -> 365), as the resource handlers and hooks receive them, then every
      Control Tower rule is run by cfn-guard. Prints JSON on stdout:
        {"package": ..., "guard": ..., "rules": N, "converted": [...],
         "controls": {"CT.X.PR.n": {"status": "PASS"|"FAIL"|"SKIP", "rule": ..., "file": ..., "title": ...,
                                    "resources": [failing logical ids], "fix": ...}}}
      Exit 0 whatever the controls' outcome; 2 for bad input or a cfn-guard error.
  evaluate.py --check
      The pinned package, the binary for this machine and the rules are in place, the binary answers with the
      version the package declares, and one known-good and one known-bad log group evaluate as expected
      (type conversion, guard run and control mapping end to end). Exit 0 when all hold.
"""
import argparse
import json
import platform
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE = HERE / "node_modules" / "@cdklabs" / "cdk-validator-cfnguard"
RULES = PACKAGE / "rules" / "control-tower" / "cfn-guard"
# cfn-guard's exit codes: 0 every rule passed or skipped, 19 some rule failed; anything else is an error.
GUARD_OK = (0, 19)


def fail(message, code=2):
    print(f"control-tower: {message}", file=sys.stderr)
    sys.exit(code)


def package_json():
    path = PACKAGE / "package.json"
    if not path.is_file():
        fail(f"{PACKAGE} is missing: run npm ci --prefix {HERE}")
    return json.loads(path.read_text())


def declared_guard_version():
    return json.loads((PACKAGE / "guard-version.json").read_text())["version"]


def guard_binary():
    system = {"Linux": "ubuntu", "Darwin": "macos"}.get(platform.system())
    machine = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64"}.get(platform.machine().lower())
    if system is None or machine is None:
        fail(f"the package bundles no cfn-guard for {platform.system()} {platform.machine()}")
    path = PACKAGE / "bin" / system / machine / "cfn-guard"
    if not path.is_file():
        fail(f"{path} is missing: run npm ci --prefix {HERE}")
    return path


def controls():
    """Rule name -> control: its id (CT.SERVICE.PR.n, from the rule's message), file, title and fix."""
    found = {}
    for path in sorted(RULES.glob("*/*.guard")):
        text = path.read_text()
        rule = re.search(r"^rule (\w+) when", text, re.M)
        message = re.search(r"\[(CT\.[A-Z0-9-]+\.PR\.\d+)\]:\s*(.+)", text)
        if rule is None or message is None:
            fail(f"{path} has no primary rule or no [CT...] message: the package layout changed")
        fix = re.search(r"\[FIX\]:\s*(.+)", text)
        found[rule.group(1)] = {"id": message.group(1), "file": str(path.relative_to(RULES)), "title": message.group(2).strip(),
                                "fix": fix.group(1).strip() if fix else ""}
    if not found:
        fail(f"no Control Tower rules under {RULES}")
    ids = [c["id"] for c in found.values()]
    if len(set(ids)) != len(ids):
        fail("two rule files carry the same control id")
    return found


# ------------------------------------------------------------------ values as the registry schema types them

def schema_for(resource_type, region):
    try:
        from cfnlint.schema import PROVIDER_SCHEMA_MANAGER
    except ImportError as missing:
        fail(f"needs cfn-lint's Python package for the resource schemas ({missing}): pip install cfn-lint")
    try:
        return PROVIDER_SCHEMA_MANAGER.get_resource_schema(region, resource_type).schema
    except Exception:  # an unknown type: a custom resource has no schema, its properties go through as they are
        return None


def dereference(node, root):
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 32:
        target = root
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node, seen = target, seen + 1
    return node


def typed(value, node, root, path, converted):
    """value with every string the schema types as integer, number or boolean converted (recorded in converted)."""
    node = dereference(node, root) or {}
    types = node.get("type", [])
    types = [types] if isinstance(types, str) else types
    if isinstance(value, str) and types and "string" not in types:
        new = value
        if "integer" in types and re.fullmatch(r"-?\d+", value):
            new = int(value)
        elif "number" in types and re.fullmatch(r"-?\d+(\.\d+)?", value):
            new = int(value) if re.fullmatch(r"-?\d+", value) else float(value)
        elif "boolean" in types and value.lower() in ("true", "false"):
            new = value.lower() == "true"
        if new is not value:
            converted.append(f"{path}: {json.dumps(value)} -> {json.dumps(new)}")
        return new
    if isinstance(value, dict):
        properties = node.get("properties", {})
        return {key: typed(item, properties.get(key, {}), root, f"{path}.{key}", converted) for key, item in value.items()}
    if isinstance(value, list):
        items = node.get("items", {})
        return [typed(item, items, root, f"{path}[{i}]", converted) for i, item in enumerate(value)]
    return value


def as_hooks_see_them(document, region):
    resources = document.get("Resources")
    if not isinstance(resources, dict) or not resources:
        fail("the document has no Resources")
    converted = []
    out = {}
    for logical_id, resource in resources.items():
        resource_type = resource.get("Type")
        properties = resource.get("Properties", {})
        schema = schema_for(resource_type, region) if isinstance(resource_type, str) else None
        if schema is not None:
            properties = typed(properties, {"type": "object", "properties": schema.get("properties", {})}, schema, logical_id, converted)
        out[logical_id] = {"Type": resource_type, "Properties": properties}
    return {"Resources": out}, converted


# ------------------------------------------------------------------ cfn-guard

def failing_resources(node, found):
    """Logical ids named in the /Resources/<id>/... paths of a not-compliant rule's checks."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "path" and isinstance(value, str):
                match = re.match(r"/Resources/([^/]+)", value)
                if match:
                    found.add(match.group(1))
            else:
                failing_resources(value, found)
    elif isinstance(node, list):
        for item in node:
            failing_resources(item, found)
    return found


def run_guard(document):
    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / "resources.json"
        data.write_text(json.dumps(document))
        process = subprocess.run([str(guard_binary()), "validate", "--data", str(data), "--rules", str(RULES),
                                  "--output-format", "json", "--structured", "--show-summary", "none"],
                                 capture_output=True, text=True, timeout=300)
    if process.returncode not in GUARD_OK:
        fail(f"cfn-guard exited {process.returncode}: {process.stderr.strip() or process.stdout.strip()[:2000]}")
    try:
        reports = json.loads(process.stdout)
    except json.JSONDecodeError:
        fail(f"cfn-guard printed no JSON: {process.stdout[:2000]}")
    if len(reports) != 1:
        fail(f"expected one report (one data file), got {len(reports)}")
    return reports[0]


def evaluate(document, region):
    rules = controls()
    typed_document, converted = as_hooks_see_them(document, region)
    report = run_guard(typed_document)
    failing = {}
    for entry in report.get("not_compliant", []):
        rule = entry.get("Rule", {})
        failing.setdefault(rule.get("name"), set()).update(failing_resources(rule, set()))
    compliant = set(report.get("compliant", []))
    unknown = (set(failing) | compliant) - set(rules)
    if unknown:
        fail(f"cfn-guard reported rules no rule file declares as primary: {sorted(unknown)}")
    result = {}
    for name, control in sorted(rules.items(), key=lambda item: item[1]["id"]):
        status = "FAIL" if name in failing else "PASS" if name in compliant else "SKIP"
        result[control["id"]] = {"status": status, "rule": name, "file": control["file"], "title": control["title"],
                                 "fix": control["fix"], "resources": sorted(failing.get(name, ()))}
    return {"package": f"@cdklabs/cdk-validator-cfnguard@{package_json()['version']}", "guard": declared_guard_version(),
            "rules": len(rules), "converted": converted, "controls": result}


# ------------------------------------------------------------------ --check

def check():
    version = package_json()["version"]
    binary = guard_binary()
    answered = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    if answered != f"cfn-guard {declared_guard_version()}":
        fail(f"{binary} answered '{answered}', the package declares cfn-guard {declared_guard_version()}", 1)
    rules = controls()
    # Parameter values arrive as strings: "400" must be read as the integer the schema says, "30" must fail.
    sample = {"Resources": {
        "Kept": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": "400", "KmsKeyId": "arn:aws:kms:us-east-1:111122223333:key/k"}},
        "Short": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": "30"}},
    }}
    outcome = evaluate(sample, "us-east-1")["controls"]
    expected = {"CT.CLOUDWATCH.PR.2": ("FAIL", ["Short"]), "CT.CLOUDWATCH.PR.3": ("FAIL", ["Short"])}
    for control_id, (status, resources) in expected.items():
        got = outcome[control_id]
        if (got["status"], got["resources"]) != (status, resources):
            fail(f"self-check: {control_id} gave {got['status']} {got['resources']}, expected {status} {resources}", 1)
    applicable = [c for c, v in outcome.items() if v["status"] != "SKIP"]
    if sorted(applicable) != sorted(expected):
        fail(f"self-check: controls applied to two log groups: {applicable}", 1)
    print(f"control-tower: @cdklabs/cdk-validator-cfnguard@{version}, {answered}, {len(rules)} Control Tower rules; self-check passed")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--resources", help="JSON file {\"Resources\": {id: {\"Type\", \"Properties\"}}}")
    parser.add_argument("--region", default="us-east-1", help="region whose registry schemas type the values")
    parser.add_argument("--check", action="store_true", help="check the installation and run a self-check")
    args = parser.parse_args()
    if args.check:
        check()
        return
    if not args.resources:
        parser.error("--resources or --check is required")
    try:
        document = json.loads(Path(args.resources).read_text())
    except (OSError, json.JSONDecodeError) as problem:
        fail(f"cannot read {args.resources}: {problem}")
    json.dump(evaluate(document, args.region), sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
