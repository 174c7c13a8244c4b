#!/usr/bin/env node
// The dependency audit .ci/run runs: `npm audit --omit=dev` against the registry, failing on a high or
// critical advisory in a production dependency unless scripts/audit-allowlist.json names it with the
// reason it does not apply to us (and a date by which to look again).
//   node scripts/audit-deps.mjs                 ask the registry
//   node scripts/audit-deps.mjs --report f.json judge a saved `npm audit --omit=dev --json`
//   --require                                   also fail when the registry gives no answer
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ALLOWLIST = fileURLToPath(new URL('./audit-allowlist.json', import.meta.url));
const BLOCKING = new Set(['high', 'critical']);

/** GHSA-… from an advisory's URL, else npm's numeric source id as a string. */
const advisoryId = (via) => via.url?.match(/GHSA(-[23456789cfghjmpqrvwx]{4}){3}/)?.[0] ?? String(via.source);

/**
 * What an `npm audit --json` report means for us. `unavailable` is set when the registry gave no audit
 * (an error report instead of `vulnerabilities`). `blocking` lists high/critical advisories not allowlisted.
 */
export function judgeAudit(report, allowlist, today = new Date().toISOString().slice(0, 10)) {
  if (!report || typeof report.vulnerabilities !== 'object' || report.vulnerabilities === null) {
    const why = report?.message ?? report?.error?.summary ?? 'no audit report';
    return { unavailable: String(why), blocking: [], allowed: [], expired: [], unused: [] };
  }
  const active = allowlist.filter((entry) => !entry.expires || entry.expires >= today);
  const expired = allowlist.filter((entry) => entry.expires && entry.expires < today);
  const seen = new Map();
  for (const vuln of Object.values(report.vulnerabilities)) {
    for (const via of vuln.via ?? []) {
      // A string names another vulnerable package whose own entry carries the advisory.
      if (typeof via !== 'object' || !BLOCKING.has(via.severity)) continue;
      const id = advisoryId(via);
      const key = `${id} ${via.name}`;
      if (!seen.has(key))
        seen.set(key, {
          id,
          package: via.name,
          severity: via.severity,
          title: via.title,
          url: via.url,
          range: via.range,
        });
    }
  }
  const found = [...seen.values()];
  const covers = (entry, adv) => entry.advisory === adv.id && (!entry.package || entry.package === adv.package);
  return {
    unavailable: null,
    blocking: found.filter((adv) => !active.some((entry) => covers(entry, adv))),
    allowed: found.filter((adv) => active.some((entry) => covers(entry, adv))),
    expired,
    unused: active.filter((entry) => !found.some((adv) => covers(entry, adv))),
  };
}

/** Every allowlist entry names an advisory and says why it does not apply. */
export function readAllowlist(file = ALLOWLIST) {
  const list = JSON.parse(readFileSync(file, 'utf8')).advisories;
  if (!Array.isArray(list)) throw new Error(`${file} must hold an "advisories" array`);
  for (const [i, entry] of list.entries()) {
    if (typeof entry?.advisory !== 'string' || typeof entry?.reason !== 'string' || entry.reason.trim().length < 10)
      throw new Error(`${file} entry ${i + 1} needs "advisory" (GHSA-… id) and "reason" (why it does not apply to us)`);
    if (entry.expires !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(entry.expires))
      throw new Error(`${file} entry ${i + 1}: "expires" is a date like 2027-06-30`);
  }
  return list;
}

function main() {
  const { values } = parseArgs({ options: { report: { type: 'string' }, require: { type: 'boolean' } } });
  let report;
  if (values.report) {
    report = JSON.parse(readFileSync(values.report, 'utf8'));
  } else {
    const audit = spawnSync('npm', ['audit', '--omit=dev', '--json', '--audit-level=none'], {
      cwd: path.dirname(path.dirname(ALLOWLIST)),
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    try {
      report = JSON.parse(audit.stdout);
    } catch {
      report = {
        message: audit.error?.message ?? (audit.stderr.trim().split('\n').pop() || 'npm audit printed no JSON'),
      };
    }
  }
  const verdict = judgeAudit(report, readAllowlist());
  if (verdict.unavailable) {
    console.warn(`⚠ dependency audit NOT RUN: the registry gave no advisories (${verdict.unavailable}).`);
    process.exit(values.require ? 1 : 0);
  }
  for (const entry of verdict.expired)
    console.warn(`⚠ allowlist entry ${entry.advisory} expired on ${entry.expires}: review it (${entry.reason})`);
  for (const entry of verdict.unused)
    console.warn(`⚠ allowlist entry ${entry.advisory} matches no current advisory: remove it`);
  for (const adv of verdict.allowed) console.log(`allowed: ${adv.package} ${adv.id} (${adv.severity}) ${adv.title}`);
  if (verdict.blocking.length) {
    console.error(`✘ ${verdict.blocking.length} high/critical advisory(ies) in production dependencies:`);
    for (const adv of verdict.blocking)
      console.error(`  - ${adv.package} ${adv.range ?? ''}: ${adv.title} [${adv.severity}] ${adv.url ?? adv.id}`);
    console.error(
      'Upgrade (npm audit fix --omit=dev), or, if it cannot affect us, add it to scripts/audit-allowlist.json with the reason.',
    );
    process.exit(1);
  }
  const counts = report.metadata?.vulnerabilities ?? {};
  console.log(
    `✔ dependency audit: no unallowed high/critical advisory in production dependencies (${counts.total ?? 0} advisories of any level).`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
