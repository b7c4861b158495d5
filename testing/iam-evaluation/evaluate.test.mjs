// Tests for evaluate.mjs. Run with `node --test testing/iam-evaluation/` (after
// `npm ci --prefix testing/iam-evaluation`).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { evaluateDocument, InputError } from './evaluate.mjs';

const SCRIPT = fileURLToPath(new URL('./evaluate.mjs', import.meta.url));
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const ROLE_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/e6link-Discovery/DiscoveryFunction`;
const ec2 = (resource) => `arn:aws:ec2:${REGION}:${ACCOUNT}:${resource}`;

const LEAST_PRIVILEGE = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'CreateS3GatewayEndpoint',
      Effect: 'Allow',
      Action: 'ec2:CreateVpcEndpoint',
      Resource: '*',
      Condition: { StringEquals: { 'ec2:VpceServiceName': `com.amazonaws.${REGION}.s3` } },
    },
    {
      Sid: 'DeleteOwnedEndpoints',
      Effect: 'Allow',
      Action: 'ec2:DeleteVpcEndpoints',
      Resource: `arn:aws:ec2:*:${ACCOUNT}:vpc-endpoint/*`,
      Condition: { StringEquals: { 'aws:ResourceTag/e6link:owner': 'stack-a' } },
    },
    {
      Sid: 'TagOnCreate',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: ec2('vpc-endpoint/*'),
      Condition: {
        StringEquals: { 'ec2:CreateAction': 'CreateVpcEndpoint' },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['e6link:owner'] },
      },
    },
    {
      Sid: 'DescribeInHomeRegion',
      Effect: 'Allow',
      Action: ['ec2:DescribeVpcs', 'ec2:DescribeVpcEndpoints'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': REGION } },
    },
    // No Sid: allowedBy falls back to the 1-based statement index ("least-privilege#5").
    { Effect: 'Allow', Action: 'ec2:DeleteVpc', Resource: ec2('vpc/*') },
    {
      Sid: 'NeverDeleteProtectedVpc',
      Effect: 'Deny',
      Action: 'ec2:DeleteVpc',
      Resource: ec2('vpc/vpc-protected'),
    },
  ],
};

function doc(requests, principalOverrides = {}) {
  return {
    principals: {
      DiscoveryFunction: {
        arn: ROLE_SESSION,
        policies: [{ name: 'least-privilege', document: LEAST_PRIVILEGE }],
        permissionsBoundary: null,
        ...principalOverrides,
      },
    },
    requests: requests.map((r, i) => ({
      id: r.id ?? `r${i + 1}`,
      principal: 'DiscoveryFunction',
      resourceAccount: ACCOUNT,
      context: {},
      ...r,
    })),
  };
}

async function evaluateOne(request, principalOverrides) {
  const out = await evaluateDocument(doc([{ id: 'only', ...request }], principalOverrides));
  assert.equal(out.results.length, 1);
  return { ...out.results[0], ignored: out.ignoredContextKeys.only };
}

describe('resource-type-aware evaluation (ec2:CreateVpcEndpoint)', () => {
  const context = {
    'aws:RequestedRegion': REGION,
    'ec2:VpceServiceName': `com.amazonaws.${REGION}.s3`,
    'aws:TagKeys': ['e6link:owner'],
    'aws:RequestTag/e6link:owner': 'x',
  };

  it('is ImplicitlyDenied on the vpc ARN: ec2:VpceServiceName does not apply to the vpc resource type', async () => {
    const r = await evaluateOne({ action: 'ec2:CreateVpcEndpoint', resource: ec2('vpc/vpc-123'), context });
    assert.equal(r.decision, 'ImplicitlyDenied');
    assert.deepEqual(r.allowedBy, []);
    assert.deepEqual(r.ignored, ['ec2:VpceServiceName']);
    assert.match(r.reason, /resource type vpc/);
    assert.match(r.reason, /least-privilege#CreateS3GatewayEndpoint: condition StringEquals ec2:VpceServiceName/);
    assert.match(r.reason, /does not apply to this action\/resource type/);
  });

  it('is Allowed on a vpc-endpoint/* ARN', async () => {
    const r = await evaluateOne({ action: 'ec2:CreateVpcEndpoint', resource: ec2('vpc-endpoint/*'), context });
    assert.equal(r.decision, 'Allowed');
    assert.deepEqual(r.allowedBy, ['least-privilege#CreateS3GatewayEndpoint']);
    assert.deepEqual(r.ignored, []);
  });

  it('is ImplicitlyDenied on vpc-endpoint/* for another service name, with the statement explained', async () => {
    const r = await evaluateOne({
      action: 'ec2:CreateVpcEndpoint',
      resource: ec2('vpc-endpoint/*'),
      context: { ...context, 'ec2:VpceServiceName': `com.amazonaws.${REGION}.dynamodb` },
    });
    assert.equal(r.decision, 'ImplicitlyDenied');
    assert.match(r.reason, /CreateS3GatewayEndpoint: condition StringEquals ec2:VpceServiceName .* request has "com\.amazonaws\.us-east-1\.dynamodb"/);
  });
});

describe('aws:ResourceTag condition on ec2:DeleteVpcEndpoints', () => {
  const resource = ec2('vpc-endpoint/vpce-0123456789abcdef0');

  it('is Allowed when the resource carries the matching owner tag', async () => {
    const r = await evaluateOne({
      action: 'ec2:DeleteVpcEndpoints',
      resource,
      context: { 'aws:ResourceTag/e6link:owner': 'stack-a' },
    });
    assert.equal(r.decision, 'Allowed');
    assert.deepEqual(r.allowedBy, ['least-privilege#DeleteOwnedEndpoints']);
  });

  it('is ImplicitlyDenied for another owner tag value', async () => {
    const r = await evaluateOne({
      action: 'ec2:DeleteVpcEndpoints',
      resource,
      context: { 'aws:ResourceTag/e6link:owner': 'stack-b' },
    });
    assert.equal(r.decision, 'ImplicitlyDenied');
    assert.match(r.reason, /DeleteOwnedEndpoints: condition StringEquals aws:ResourceTag\/e6link:owner "stack-a" failed: request has "stack-b"/);
  });

  it('is ImplicitlyDenied when the context has no tag at all (the simulator does not invent it)', async () => {
    const r = await evaluateOne({ action: 'ec2:DeleteVpcEndpoints', resource });
    assert.equal(r.decision, 'ImplicitlyDenied');
    assert.match(r.reason, /absent from the request context/);
  });
});

describe('explicit Deny', () => {
  it('beats the Allow and is reported with its Sid', async () => {
    const r = await evaluateOne({ action: 'ec2:DeleteVpc', resource: ec2('vpc/vpc-protected') });
    assert.equal(r.decision, 'ExplicitlyDenied');
    assert.deepEqual(r.allowedBy, []);
    assert.match(r.reason, /explicit Deny in least-privilege#NeverDeleteProtectedVpc/);
  });

  it('does not apply to other VPCs, where the Sid-less Allow is named by its index', async () => {
    const r = await evaluateOne({ action: 'ec2:DeleteVpc', resource: ec2('vpc/vpc-other') });
    assert.equal(r.decision, 'Allowed');
    assert.deepEqual(r.allowedBy, ['least-privilege#5']);
  });
});

describe('ec2:CreateTags with ec2:CreateAction', () => {
  const resource = ec2('vpc-endpoint/vpce-0123456789abcdef0');

  it('is Allowed when tagging as part of CreateVpcEndpoint', async () => {
    const r = await evaluateOne({
      action: 'ec2:CreateTags',
      resource,
      context: { 'ec2:CreateAction': 'CreateVpcEndpoint', 'aws:TagKeys': ['e6link:owner'] },
    });
    assert.equal(r.decision, 'Allowed');
    assert.deepEqual(r.allowedBy, ['least-privilege#TagOnCreate']);
  });

  it('is ImplicitlyDenied for tagging outside the create call', async () => {
    const r = await evaluateOne({ action: 'ec2:CreateTags', resource, context: { 'aws:TagKeys': ['e6link:owner'] } });
    assert.equal(r.decision, 'ImplicitlyDenied');
    assert.match(r.reason, /condition StringEquals ec2:CreateAction "CreateVpcEndpoint" failed: key ec2:CreateAction absent/);
  });

  it('is ImplicitlyDenied for another create action', async () => {
    const r = await evaluateOne({
      action: 'ec2:CreateTags',
      resource,
      context: { 'ec2:CreateAction': 'RunInstances', 'aws:TagKeys': ['e6link:owner'] },
    });
    assert.equal(r.decision, 'ImplicitlyDenied');
  });

  it('applies ForAllValues to aws:TagKeys (an extra tag key denies)', async () => {
    const r = await evaluateOne({
      action: 'ec2:CreateTags',
      resource,
      context: { 'ec2:CreateAction': 'CreateVpcEndpoint', 'aws:TagKeys': ['e6link:owner', 'Name'] },
    });
    assert.equal(r.decision, 'ImplicitlyDenied');
    assert.match(r.reason, /ForAllValues:StringEquals aws:TagKeys .*unmatched: \["Name"\]/);
  });
});

describe('Resource "*" with aws:RequestedRegion', () => {
  it('is Allowed in the home region', async () => {
    const r = await evaluateOne({ action: 'ec2:DescribeVpcs', resource: '*', context: { 'aws:RequestedRegion': REGION } });
    assert.equal(r.decision, 'Allowed');
    assert.deepEqual(r.allowedBy, ['least-privilege#DescribeInHomeRegion']);
  });

  it('is ImplicitlyDenied in another region', async () => {
    const r = await evaluateOne({ action: 'ec2:DescribeVpcs', resource: '*', context: { 'aws:RequestedRegion': 'eu-west-1' } });
    assert.equal(r.decision, 'ImplicitlyDenied');
    assert.match(r.reason, /aws:RequestedRegion "us-east-1" failed: request has "eu-west-1"/);
  });

  it('is ImplicitlyDenied when aws:RequestedRegion is not supplied (it is not derived)', async () => {
    const r = await evaluateOne({ action: 'ec2:DescribeVpcs', resource: '*' });
    assert.equal(r.decision, 'ImplicitlyDenied');
  });
});

describe('permissions boundary', () => {
  it('blocks what the identity policy allows', async () => {
    const r = await evaluateOne(
      { action: 'ec2:DeleteVpc', resource: ec2('vpc/vpc-other') },
      {
        permissionsBoundary: {
          name: 'boundary',
          document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }] },
        },
      },
    );
    assert.equal(r.decision, 'ImplicitlyDenied');
    assert.match(r.reason, /allowed by least-privilege#5 but not by the permissions boundary/);
  });
});

describe('requests the simulator rejects become decision "Error"', () => {
  it('unknown action', async () => {
    const r = await evaluateOne({ action: 'ec2:Frobnicate', resource: '*' });
    assert.equal(r.decision, 'Error');
    assert.match(r.reason, /not a known IAM action/);
  });

  it('resource ARN that matches none of the action\'s resource types', async () => {
    const r = await evaluateOne({ action: 'ec2:CreateVpcEndpoint', resource: ec2('instance/i-0123') });
    assert.equal(r.decision, 'Error');
    assert.match(r.reason, /^no\.resource\.types: .* expected one of .*vpc-endpoint=arn:\$\{Partition\}:ec2/);
  });

  it('resource-level ARN for a wildcard-only action', async () => {
    const r = await evaluateOne({ action: 'ec2:DescribeVpcs', resource: ec2('vpc/vpc-1') });
    assert.equal(r.decision, 'Error');
    assert.match(r.reason, /^must\.use\.wildcard/);
  });

  it('S3 bucket ARN with region/account is rejected', async () => {
    const r = await evaluateOne({ action: 's3:CreateBucket', resource: `arn:aws:s3:${REGION}:${ACCOUNT}:bucket-a` });
    assert.equal(r.decision, 'Error');
  });

  it('an Error does not stop the other requests', async () => {
    const out = await evaluateDocument(
      doc([
        { id: 'bad', action: 'nosuchservice:Do', resource: '*' },
        { id: 'good', action: 'ec2:DescribeVpcs', resource: '*', context: { 'aws:RequestedRegion': REGION } },
      ]),
    );
    assert.deepEqual(out.results.map((r) => r.decision), ['Error', 'Allowed']);
    assert.deepEqual(Object.keys(out.ignoredContextKeys), ['bad', 'good']);
  });
});

describe('malformed documents', () => {
  it('rejects a request naming an undefined principal', async () => {
    const d = doc([{ action: 'ec2:DescribeVpcs', resource: '*' }]);
    d.requests[0].principal = 'Nobody';
    await assert.rejects(evaluateDocument(d), InputError);
  });

  it('rejects non-string context values', async () => {
    await assert.rejects(
      evaluateDocument(doc([{ action: 'ec2:DescribeVpcs', resource: '*', context: { 'aws:SecureTransport': true } }])),
      /context\["aws:SecureTransport"\] must be a string or an array of strings/,
    );
  });

  it('rejects duplicate request ids', async () => {
    await assert.rejects(
      evaluateDocument(doc([{ id: 'x', action: 'ec2:DescribeVpcs', resource: '*' }, { id: 'x', action: 'ec2:DescribeVpcs', resource: '*' }])),
      /duplicate id/,
    );
  });
});

describe('command line', () => {
  const run = (input) => spawnSync(process.execPath, [SCRIPT], { input, encoding: 'utf8' });

  it('writes one JSON document and exits 0, whatever the decisions', () => {
    const p = run(
      JSON.stringify(
        doc([
          { id: 'a', action: 'ec2:DescribeVpcs', resource: '*', context: { 'aws:RequestedRegion': REGION } },
          { id: 'b', action: 'ec2:Frobnicate', resource: '*' },
        ]),
      ),
    );
    assert.equal(p.status, 0, p.stderr);
    const out = JSON.parse(p.stdout);
    assert.deepEqual(out.results.map((r) => [r.id, r.decision]), [['a', 'Allowed'], ['b', 'Error']]);
    assert.deepEqual(out.ignoredContextKeys, { a: [], b: [] });
  });

  it('exits non-zero with a message on stderr for invalid JSON', () => {
    const p = run('{"principals": ');
    assert.notEqual(p.status, 0);
    assert.equal(p.stdout, '');
    assert.match(p.stderr, /malformed input: input is not valid JSON/);
  });

  it('exits non-zero for a document without requests', () => {
    const p = run(JSON.stringify({ principals: {} }));
    assert.notEqual(p.status, 0);
    assert.match(p.stderr, /"requests" must be an array/);
  });

  it('exits non-zero for empty input', () => {
    const p = run('');
    assert.notEqual(p.status, 0);
    assert.match(p.stderr, /empty input/);
  });
});

describe('throughput', () => {
  it('evaluates 300 requests in one process well under a few seconds', async (t) => {
    const kinds = [
      { action: 'ec2:CreateVpcEndpoint', resource: ec2('vpc/vpc-123'), context: { 'ec2:VpceServiceName': 'x' } },
      { action: 'ec2:CreateVpcEndpoint', resource: ec2('vpc-endpoint/*'), context: { 'ec2:VpceServiceName': `com.amazonaws.${REGION}.s3` } },
      { action: 'ec2:DeleteVpcEndpoints', resource: ec2('vpc-endpoint/vpce-1'), context: { 'aws:ResourceTag/e6link:owner': 'stack-a' } },
      { action: 'ec2:DescribeVpcs', resource: '*', context: { 'aws:RequestedRegion': REGION } },
      { action: 'ec2:DeleteVpc', resource: ec2('vpc/vpc-protected') },
      { action: 'ec2:CreateTags', resource: ec2('vpc-endpoint/vpce-1'), context: { 'ec2:CreateAction': 'CreateVpcEndpoint' } },
    ];
    const requests = Array.from({ length: 300 }, (_, i) => ({ id: `t${i}`, ...kinds[i % kinds.length] }));
    const started = performance.now();
    const out = await evaluateDocument(doc(requests));
    const elapsed = performance.now() - started;
    assert.equal(out.results.length, 300);
    assert.ok(!out.results.some((r) => r.decision === 'Error'));
    t.diagnostic(`300 requests evaluated in ${elapsed.toFixed(0)} ms`);
    // About 1 s on an idle 2-core machine; the bound only catches pathological slowdowns.
    assert.ok(elapsed < 8000, `took ${elapsed.toFixed(0)} ms`);
  });
});

describe('other partitions (aws-cn): ARNs, issuer hosts and endpoint service names as China names them', () => {
  const CN = 'cn-north-1';
  const issuer = `oidc.eks.${CN}.amazonaws.com.cn/id/EXAMPLED539D4633E53DE1B71EXAMPLE`;
  const chinaPolicy = (issuerHost) => ({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ReadEksIssuerProviders', Effect: 'Allow', Action: 'iam:GetOpenIDConnectProvider',
        Resource: `arn:aws-cn:iam::${ACCOUNT}:oidc-provider/${issuerHost}/id/*` },
      { Sid: 'CreateS3GatewayEndpointsOnly', Effect: 'Allow', Action: 'ec2:CreateVpcEndpoint',
        Resource: `arn:aws-cn:ec2:${CN}:${ACCOUNT}:vpc-endpoint/*`,
        Condition: { StringEquals: { 'ec2:VpceServiceName': `cn.com.amazonaws.${CN}.s3` } } },
    ],
  });
  const china = (issuerHost) => ({
    arn: `arn:aws-cn:sts::${ACCOUNT}:assumed-role/e6link-OidcProvider/OidcProviderFunction`,
    policies: [{ name: 'least-privilege', document: chinaPolicy(issuerHost) }],
  });

  it('allows the China issuer only under a policy written with amazonaws.com.cn (AWS::URLSuffix)', async () => {
    const request = { action: 'iam:GetOpenIDConnectProvider', resource: `arn:aws-cn:iam::${ACCOUNT}:oidc-provider/${issuer}` };
    assert.equal((await evaluateOne(request, china(`oidc.eks.${CN}.amazonaws.com.cn`))).decision, 'Allowed');
    const denied = await evaluateOne(request, china(`oidc.eks.${CN}.amazonaws.com`));
    assert.equal(denied.decision, 'ImplicitlyDenied');
    assert.match(denied.reason, /resource mismatch/);
  });

  it('allows creating the S3 endpoint named cn.com.amazonaws.<region>.s3', async () => {
    const r = await evaluateOne({ action: 'ec2:CreateVpcEndpoint', resource: `arn:aws-cn:ec2:${CN}:${ACCOUNT}:vpc-endpoint/*`,
      context: { 'aws:RequestedRegion': CN, 'ec2:VpceServiceName': `cn.com.amazonaws.${CN}.s3` } }, china(`oidc.eks.${CN}.amazonaws.com.cn`));
    assert.equal(r.decision, 'Allowed');
    assert.deepEqual(r.allowedBy, ['least-privilege#CreateS3GatewayEndpointsOnly']);
  });
});
