import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Rows that record who did what are written in one place each, so the rules live once:
 * an audit entry in the transaction of the change it describes, an attendance row by writeAttendance.
 */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' ? [] : sources(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

const files = ['app', 'lib', 'workers'].flatMap((d) => sources(path.resolve(d)));
const rel = (f: string) => path.relative(process.cwd(), f);
const using = (pattern: RegExp) =>
  files
    .filter((f) => pattern.test(readFileSync(f, 'utf8')))
    .map(rel)
    .sort();

describe('single writers', () => {
  it('scans the whole tree', () => {
    expect(files.length).toBeGreaterThan(200);
  });

  it('audit rows are inserted only by lib/data/audit.ts', () => {
    expect(using(/\.insert\(\s*auditLog\s*\)/)).toEqual(['lib/data/audit.ts']);
  });

  it('writeAudit (an entry outside any change) is used only for events that change no row of their own', () => {
    // A sign-in, a notification sent, a rejected upload (nothing stored), a roster import's summary
    // (its rows are written, and the photos audited, one by one), a student's copy of their data.
    expect(using(/\bwriteAudit\(/)).toEqual([
      'lib/auth/sign-in-audit.ts',
      'lib/data/audit.ts',
      'lib/enrollment/enroll-photo.ts',
      'lib/enrollment/roster-plan.ts',
      'lib/enrollment/student-self-service.ts',
      'lib/notifications/notification-watch.ts',
    ]);
  });

  it('no API route writes audit entries: the lib/data function it calls does, in its transaction', () => {
    expect(using(/\b(writeAudit|insertAudit)\b/).filter((f) => f.startsWith('app/'))).toEqual([]);
  });

  it('attendance rows are inserted only by lib/data/attendances.ts (writeAttendance)', () => {
    expect(using(/\.insert\(\s*attendances\s*\)/)).toEqual(['lib/data/attendances.ts']);
  });

  it('the enrolment check exists once', () => {
    const checks = using(
      /\.from\(\s*courseEnrollments\s*\)[\s\S]{0,200}eq\(courseEnrollments\.studentId, studentId\)\)\)\s*\.limit\(1\)/,
    );
    expect(checks).toEqual(['lib/data/courses.ts']);
  });
});
