import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { judgeAudit, readAllowlist } from './audit-deps.mjs';

/** The shape `npm audit --omit=dev --json` (auditReportVersion 2) prints: one advisory, reached twice. */
function report(severity: string) {
  const advisory = {
    source: 1_101_234,
    name: 'fast-xml-parser',
    dependency: 'fast-xml-parser',
    title: 'Prototype pollution in fast-xml-parser',
    url: 'https://github.com/advisories/GHSA-x7hr-w5r2-h6wg',
    severity,
    cwe: ['CWE-1321'],
    cvss: { score: 8.1, vectorString: null },
    range: '<4.2.4',
  };
  return {
    auditReportVersion: 2,
    vulnerabilities: {
      'fast-xml-parser': {
        name: 'fast-xml-parser',
        severity,
        isDirect: false,
        via: [advisory],
        effects: ['@aws-sdk/xml-builder'],
        range: '<4.2.4',
        nodes: ['node_modules/fast-xml-parser'],
        fixAvailable: true,
      },
      '@aws-sdk/xml-builder': {
        name: '@aws-sdk/xml-builder',
        severity,
        isDirect: false,
        via: ['fast-xml-parser'],
        effects: [],
        range: '*',
        nodes: ['node_modules/@aws-sdk/xml-builder'],
        fixAvailable: true,
      },
    },
    metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 1, critical: 0, total: 2 } },
  };
}

const allow = (extra: object = {}) => [
  {
    advisory: 'GHSA-x7hr-w5r2-h6wg',
    package: 'fast-xml-parser',
    reason: 'only parses S3 responses from our own bucket',
    ...extra,
  },
];

describe('dependency audit verdict', () => {
  it('blocks a high or critical advisory in a production dependency, once, naming it', () => {
    for (const severity of ['high', 'critical']) {
      const v = judgeAudit(report(severity), []);
      expect(v.unavailable).toBeNull();
      expect(v.blocking).toEqual([
        expect.objectContaining({ id: 'GHSA-x7hr-w5r2-h6wg', package: 'fast-xml-parser', severity }),
      ]);
    }
  });

  it('lets moderate and lower through', () => {
    expect(judgeAudit(report('moderate'), []).blocking).toEqual([]);
  });

  it('an allowlist entry with its reason lets it through until it expires; an unused one is reported', () => {
    expect(judgeAudit(report('high'), allow(), '2027-01-01')).toMatchObject({ blocking: [], unused: [] });
    const expired = judgeAudit(report('high'), allow({ expires: '2026-12-31' }), '2027-01-01');
    expect(expired.blocking).toHaveLength(1);
    expect(expired.expired).toHaveLength(1);
    expect(judgeAudit(report('high'), allow({ package: 'other' })).blocking).toHaveLength(1);
    expect(judgeAudit({ ...report('high'), vulnerabilities: {} }, allow()).unused).toHaveLength(1);
  });

  it('says so when the registry gives no audit (the error report npm prints for a refused query)', () => {
    const refused = {
      message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      method: 'POST',
      statusCode: 405,
      body: '',
      error: { summary: '', detail: '' },
    };
    expect(judgeAudit(refused, []).unavailable).toMatch(/405 Method Not Allowed/);
  });
});

describe('node scripts/audit-deps.mjs --report', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'audit-deps-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (body: object, ...args: string[]) => {
    const file = path.join(dir, `${Math.random()}.json`);
    writeFileSync(file, JSON.stringify(body));
    return spawnSync('node', ['scripts/audit-deps.mjs', '--report', file, ...args], { encoding: 'utf8' });
  };

  it('exits 1 naming the advisory, 0 on a clean report, and 1 on no answer only with --require', () => {
    const bad = run(report('high'));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('fast-xml-parser <4.2.4: Prototype pollution in fast-xml-parser [high]');
    expect(run({ ...report('high'), vulnerabilities: {} }).status).toBe(0);
    const none = { message: 'request to https://registry.npmjs.org failed' };
    expect(run(none).status).toBe(0);
    expect(run(none).stderr).toContain('dependency audit NOT RUN');
    expect(run(none, '--require').status).toBe(1);
  });

  it('the shipped allowlist is valid: every entry names an advisory and a reason', () => {
    expect(Array.isArray(readAllowlist())).toBe(true);
  });
});
