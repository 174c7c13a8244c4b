/**
 * Students through campus single sign-on, over real HTTP against a real OpenID Connect provider
 * (test/helpers/oidc-provider.ts): linking by the student-number claim, refusals in words, their own
 * page data through /api/me, disputes the lecturer resolves, their data copy, and erasure on request
 * confirmed by an admin. Every route is called with the session cookie the sign-in produced.
 */
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveOidcUser, type OidcConfig } from '@/lib/auth/oidc';
import { studentSessionChecker } from '@/lib/auth/session-check';
import { recordAttendance } from '@/lib/data/attendances';
import { listAuditLog } from '@/lib/data/audit-log';
import { enrollStudent } from '@/lib/data/courses';
import { insertPhotoWithTemplate } from '@/lib/data/face-photos';
import { listErasureRequests } from '@/lib/data/student-accounts';
import { getStudent, updateStudent } from '@/lib/data/students';
import { insertUnknownFace } from '@/lib/data/unknown-faces';
import { resetEnvCache } from '@/lib/env';
import { getStorage } from '@/lib/storage';
import { makeCourse, makeSession, makeStudent, makeUser } from '../factories';
import { callRoute, CookieJar } from '../helpers/auth-requests';
import { LECTURER_GROUP, STUDENT_GROUP, startOidcProvider, type TestIdp } from '../helpers/oidc-provider';
import { type AuthRouteServer, startAuthRouteServer } from '../helpers/auth-route-server';
import { useThrowawayDatabase } from './throwaway-db';

useThrowawayDatabase();

const PASSWORD = 'campus password 1';
const ACCOUNTS = [
  { email: 'siti@campus.test', name: 'Siti Student', groups: [STUDENT_GROUP], studentNumber: 'SA-1001' },
  { email: 'budi@campus.test', name: 'Budi Student', groups: [STUDENT_GROUP], studentNumber: 'SA-1002' },
  { email: 'nolink@campus.test', name: 'No Link', groups: [STUDENT_GROUP], studentNumber: 'SA-9999' },
  { email: 'lect@campus.test', name: 'Lect Urer', groups: [LECTURER_GROUP] },
  { email: 'other@campus.test', name: 'Other Lecturer', groups: [LECTURER_GROUP] },
].map((a) => ({ ...a, password: PASSWORD }));

const ENV_KEYS: string[] = [];
let server: AuthRouteServer | undefined;
let base: string;
let idp: TestIdp;

type Handler = (req: Request, ctx: { params: Promise<Record<string, unknown>> }) => Promise<Response>;
const api = async (path: string) =>
  (await import(/* @vite-ignore */ `@/app/api/${path}/route`)) as Record<string, Handler>;

beforeAll(async () => {
  server = await startAuthRouteServer();
  base = server.base;
  idp = await startOidcProvider({ redirectUris: [`${base}/api/auth/callback/oidc`], accounts: ACCOUNTS });
  for (const [k, v] of Object.entries({
    ...idp.appEnv,
    NEXTAUTH_URL: base,
    OIDC_STUDENT_NUMBER_CLAIM: 'student_number',
  })) {
    process.env[k] = v;
    ENV_KEYS.push(k);
  }
  resetEnvCache();
});

afterAll(async () => {
  await server?.close();
  await idp?.stop();
  for (const k of ENV_KEYS) delete process.env[k];
  resetEnvCache();
});

/** A browser with a cookie jar per origin that follows redirects itself. */
class Browser {
  private readonly jars = new Map<string, CookieJar>();
  jar(origin: string): CookieJar {
    let jar = this.jars.get(origin);
    if (!jar) this.jars.set(origin, (jar = new CookieJar()));
    return jar;
  }
  async go(url: string, form?: Record<string, string>) {
    let target = new URL(url);
    let body = form ? new URLSearchParams(form).toString() : undefined;
    for (let hops = 0; hops < 15; hops++) {
      const headers: Record<string, string> = { cookie: this.jar(target.origin).header() };
      if (body !== undefined) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        headers.origin = target.origin;
      }
      const res = await fetch(target, { method: body ? 'POST' : 'GET', headers, body, redirect: 'manual' });
      this.jar(target.origin).absorb(res);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { res, url: target, text: await res.text() };
      await res.arrayBuffer();
      target = new URL(location, target);
      body = undefined;
    }
    throw new Error('too many redirects');
  }
  /** Calls an app route handler with this browser's cookies, as a same-origin fetch from the page would. */
  async call(
    handler: Handler | undefined,
    method: string,
    path: string,
    params: Record<string, string> = {},
    body?: unknown,
  ) {
    const headers: Record<string, string> = { cookie: this.jar(base).header(), origin: base };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const req = new Request(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return callRoute(handler, req, params);
  }
  async session(): Promise<{ user?: { id: string; role: string; name?: string } }> {
    const res = await fetch(`${base}/api/auth/session`, { headers: { cookie: this.jar(base).header() } });
    this.jar(base).absorb(res);
    return (await res.json()) as { user?: { id: string; role: string } };
  }
}

async function campusSignIn(email: string) {
  const browser = new Browser();
  const csrf = await browser.go(`${base}/api/auth/csrf`);
  const { csrfToken } = JSON.parse(csrf.text) as { csrfToken: string };
  const login = await browser.go(`${base}/api/auth/signin/oidc`, { csrfToken, callbackUrl: `${base}/me` });
  const landed = await browser.go(login.url.href, { login: email, password: PASSWORD });
  return { browser, landed, session: await browser.session() };
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

describe('student sign-in through the campus IdP', () => {
  it('links a student by the student-number claim: role student, the students row id, audited', async () => {
    // The row's e-mail differs from the IdP's: the number alone links.
    const siti = await makeStudent({ studentNumber: 'SA-1001', email: 'siti.old@example.edu', name: 'Siti Row' });
    const { landed, session } = await campusSignIn('siti@campus.test');
    expect(landed.url.href).toBe(`${base}/me`);
    expect(session.user).toMatchObject({ id: siti.studentId, role: 'student', name: 'Siti Row' });
    const audit = (await listAuditLog({ action: 'auth.sign_in', pageSize: 100 })).rows;
    expect(audit.find((r) => r.entityId === siti.studentId)).toMatchObject({
      actorUserId: null,
      entity: 'student',
      details: { ip: '127.0.0.1', method: 'oidc', role: 'student' },
    });
  });

  it('refuses a student whose number links to no row, in words (student_not_linked), audited', async () => {
    const { landed, session } = await campusSignIn('nolink@campus.test');
    expect(landed.url.pathname).toBe('/login/refused');
    expect(landed.url.searchParams.get('reason')).toBe('student_not_linked');
    expect(session.user).toBeUndefined();
    const failed = (await listAuditLog({ action: 'auth.sign_in_failed', pageSize: 100 })).rows.map((r) => r.details);
    expect(failed).toContainEqual({
      email: 'nolink@campus.test',
      ip: '127.0.0.1',
      method: 'oidc',
      reason: 'student_not_linked',
    });
  });

  it('ends the session when the number or e-mail that linked the student changes (session_version)', async () => {
    const student = await makeStudent({ studentNumber: 'SA-1002' });
    const { browser, session } = await campusSignIn('budi@campus.test');
    expect(session.user?.role).toBe('student');
    await updateStudent(student.studentId, { email: 'budi.new@example.edu' }, null);
    studentSessionChecker.forget(student.studentId);
    expect((await browser.session()).user).toBeUndefined();
    await updateStudent(student.studentId, { studentNumber: 'SA-1002-old' }, null);
  });
});

describe('linking rules (resolveOidcUser against the database)', () => {
  const config: OidcConfig = {
    issuer: 'https://idp.example',
    clientId: 'c',
    clientSecret: 's',
    scopes: 'openid',
    name: 'Campus',
    roleClaim: 'groups',
    adminValues: ['admins'],
    lecturerValues: ['lecturers'],
    studentValues: [],
  };
  it('links by e-mail when no number claim is set; any person without a staff role may be a student', async () => {
    const s = await makeStudent({ email: 'Mixed.Case@Example.edu' });
    const out = await resolveOidcUser({ sub: 'x', email: 'mixed.case@example.edu', groups: [] }, config);
    expect(out).toMatchObject({ status: 'student', student: { studentId: s.studentId } });
  });
  it('refuses when two student rows share the e-mail (never shows one student the other)', async () => {
    await makeStudent({ email: 'twin@example.edu' });
    await makeStudent({ email: 'twin@example.edu' });
    const out = await resolveOidcUser({ sub: 'x', email: 'twin@example.edu' }, config);
    expect(out).toMatchObject({ status: 'refused', reason: 'not_registered' });
    const flagged = await resolveOidcUser(
      { sub: 'x', email: 'twin@example.edu', groups: ['pupils'] },
      { ...config, studentValues: ['pupils'] },
    );
    expect(flagged).toMatchObject({ status: 'refused', reason: 'student_not_linked' });
  });
  it('needs a student value when OIDC_STUDENT_VALUES is set, and staff wins over a student row', async () => {
    await makeStudent({ email: 'needs.value@example.edu' });
    expect(
      await resolveOidcUser(
        { sub: 'x', email: 'needs.value@example.edu', groups: [] },
        { ...config, studentValues: ['pupils'] },
      ),
    ).toMatchObject({ status: 'refused', reason: 'not_registered' });
    const user = await makeUser({ email: 'ta@example.edu', role: 'lecturer' });
    await makeStudent({ email: 'ta@example.edu' });
    expect(await resolveOidcUser({ sub: 'x', email: 'ta@example.edu' }, config)).toMatchObject({
      status: 'signed_in',
      user: { userId: user.userId },
    });
  });
});

describe("a student's own page, disputes, data copy and erasure", () => {
  let student: Awaited<ReturnType<typeof makeStudent>>;
  let classmate: Awaited<ReturnType<typeof makeStudent>>;
  let course: Awaited<ReturnType<typeof makeCourse>>;
  let otherCourse: Awaited<ReturnType<typeof makeCourse>>;
  const sessions: Record<string, string> = {};
  let me: Browser;
  let lecturer: Browser;
  const lateSeenAt = minutesAgo(2 * 24 * 60 - 20);

  beforeAll(async () => {
    const account = ACCOUNTS.find((a) => a.email === 'siti@campus.test')!;
    student = (await getStudent((await campusSignIn(account.email)).session.user!.id))!;
    me = (await campusSignIn(account.email)).browser;
    lecturer = (await campusSignIn('lect@campus.test')).browser;
    const lecturerId = (await lecturer.session()).user!.id;
    classmate = await makeStudent({ name: 'Classmate Zed' });
    course = await makeCourse({ lecturerId, code: `ME${Date.now() % 100000}` });
    otherCourse = await makeCourse();
    await enrollStudent(course.courseId, student.studentId);
    await enrollStudent(course.courseId, classmate.studentId);
    await enrollStudent(otherCourse.courseId, classmate.studentId);
    const mk = async (name: string, startsAt: Date, extra: { status?: 'cancelled'; courseId?: string } = {}) =>
      (sessions[name] = (
        await makeSession({ courseId: extra.courseId ?? course.courseId, startsAt, status: extra.status })
      ).sessionId);
    await mk('present', minutesAgo(3 * 24 * 60));
    await mk('late', minutesAgo(2 * 24 * 60));
    await mk('absent', minutesAgo(24 * 60));
    await mk('cancelled', minutesAgo(12 * 60), { status: 'cancelled' });
    await mk('future', new Date(Date.now() + 24 * 3600_000));
    await mk('otherCourse', minutesAgo(60), { courseId: otherCourse.courseId });
    await recordAttendance({
      sessionId: sessions.present!,
      studentId: student.studentId,
      seenAt: minutesAgo(3 * 24 * 60 - 2),
    });
    await recordAttendance({
      sessionId: sessions.late!,
      studentId: student.studentId,
      seenAt: lateSeenAt,
      status: 'late',
    });
    await recordAttendance({
      sessionId: sessions.absent!,
      studentId: classmate.studentId,
      seenAt: minutesAgo(24 * 60 - 1),
    });
  });

  it('lists their courses with present / late / absent and the time, only for sessions that count, and no one else', async () => {
    const res = await me.call((await api('me')).GET, 'GET', '/api/me');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      courses: { courseId: string; sessions: { sessionId: string; status: string; at: string | null }[] }[];
    };
    expect(body.courses.map((c) => c.courseId)).toEqual([course.courseId]);
    const list = body.courses[0]!.sessions;
    expect(list.map((s) => [s.sessionId, s.status])).toEqual([
      [sessions.absent, 'absent'],
      [sessions.late, 'late'],
      [sessions.present, 'present'],
    ]);
    expect(list.find((s) => s.status === 'late')!.at).toBe(lateSeenAt.toISOString());
    expect(list.find((s) => s.status === 'absent')!.at).toBeNull();
    const text = JSON.stringify(body);
    expect(text).not.toContain(classmate.studentId);
    expect(text).not.toContain('Classmate Zed');
  });

  it('refuses the student on staff routes, also for their own course and session', async () => {
    expect((await me.call((await api('courses')).GET, 'GET', '/api/courses')).status).toBe(403);
    expect((await me.call((await api('students')).GET, 'GET', '/api/students')).status).toBe(403);
    const att = (await api('sessions/[sessionId]/attendance')).GET;
    expect(
      (await me.call(att, 'GET', `/api/sessions/${sessions.present}/attendance`, { sessionId: sessions.present! }))
        .status,
    ).toBe(403);
    const one = (await api('students/[studentId]')).GET;
    expect(
      (await me.call(one, 'GET', `/api/students/${student.studentId}`, { studentId: student.studentId })).status,
    ).toBe(403);
    // And staff cannot use the student's routes.
    expect((await lecturer.call((await api('me')).GET, 'GET', '/api/me')).status).toBe(403);
  });

  it('files a dispute the lecturer sees and accepts (marked present via a manual mark), every step audited', async () => {
    const file = (await api('me/disputes')).POST;
    const res = await me.call(
      file,
      'POST',
      '/api/me/disputes',
      {},
      {
        sessionId: sessions.absent,
        kind: 'was_there',
        text: 'I sat in the back row',
      },
    );
    expect(res.status).toBe(201);
    const { dispute } = (await res.json()) as { dispute: { disputeId: string; state: string } };
    expect(dispute.state).toBe('open');
    const again = await me.call(
      file,
      'POST',
      '/api/me/disputes',
      {},
      { sessionId: sessions.absent, kind: 'was_there', text: 'again' },
    );
    expect(again.status).toBe(409);
    const elsewhere = await me.call(
      file,
      'POST',
      '/api/me/disputes',
      {},
      { sessionId: sessions.otherCourse, kind: 'was_there', text: 'x' },
    );
    expect(elsewhere.status).toBe(404);
    const future = await me.call(
      file,
      'POST',
      '/api/me/disputes',
      {},
      { sessionId: sessions.future, kind: 'was_there', text: 'x' },
    );
    expect(future.status).toBe(400);
    const empty = await me.call(
      file,
      'POST',
      '/api/me/disputes',
      {},
      { sessionId: sessions.late, kind: 'was_there', text: '  ' },
    );
    expect(empty.status).toBe(400);

    const list = (await api('sessions/[sessionId]/disputes')).GET;
    const params = { sessionId: sessions.absent! };
    const seen = (await (
      await lecturer.call(list, 'GET', `/api/sessions/${sessions.absent}/disputes`, params)
    ).json()) as {
      disputes: { disputeId: string; studentName: string; currentStatus: string | null; text: string }[];
    };
    expect(seen.disputes).toEqual([
      expect.objectContaining({
        disputeId: dispute.disputeId,
        studentName: student.name,
        currentStatus: null,
        text: 'I sat in the back row',
      }),
    ]);
    const other = (await campusSignIn('other@campus.test')).browser;
    expect((await other.call(list, 'GET', `/api/sessions/${sessions.absent}/disputes`, params)).status).toBe(403);
    expect((await me.call(list, 'GET', `/api/sessions/${sessions.absent}/disputes`, params)).status).toBe(403);

    const resolve = (await api('sessions/[sessionId]/disputes/[disputeId]')).POST;
    const rp = { ...params, disputeId: dispute.disputeId };
    const path = `/api/sessions/${sessions.absent}/disputes/${dispute.disputeId}`;
    expect((await me.call(resolve, 'POST', path, rp, { decision: 'accept' })).status).toBe(403);
    const accepted = await lecturer.call(resolve, 'POST', path, rp, { decision: 'accept' });
    expect(await accepted.json()).toEqual({ state: 'accepted', status: 'present' });
    expect((await lecturer.call(resolve, 'POST', path, rp, { decision: 'decline' })).status).toBe(409);

    const mine = (await (await me.call((await api('me')).GET, 'GET', '/api/me')).json()) as {
      courses: {
        sessions: { sessionId: string; status: string; source: string; dispute: { state: string } | null }[];
      }[];
    };
    expect(mine.courses[0]!.sessions.find((s) => s.sessionId === sessions.absent)).toMatchObject({
      status: 'present',
      source: 'manual',
      dispute: { state: 'accepted' },
    });
    const lecturerId = (await lecturer.session()).user!.id;
    const audit = (await listAuditLog({ pageSize: 200 })).rows.filter(
      (r) => r.entityId === sessions.absent && r.action.startsWith('attendance.'),
    );
    expect(audit.map((r) => r.action).sort()).toEqual([
      'attendance.dispute_file',
      'attendance.dispute_resolve',
      'attendance.manual_mark',
    ]);
    expect(audit.find((r) => r.action === 'attendance.dispute_file')).toMatchObject({
      actorUserId: null,
      details: { studentId: student.studentId, kind: 'was_there', text: 'I sat in the back row', by: 'student' },
    });
    expect(audit.find((r) => r.action === 'attendance.manual_mark')).toMatchObject({
      actorUserId: lecturerId,
      details: { studentId: student.studentId, status: 'present' },
    });
  });

  it('declines a "that was not me" dispute without touching the record', async () => {
    const file = (await api('me/disputes')).POST;
    const { dispute } = (await (
      await me.call(
        file,
        'POST',
        '/api/me/disputes',
        {},
        { sessionId: sessions.late, kind: 'not_me', text: 'I was ill' },
      )
    ).json()) as { dispute: { disputeId: string } };
    const resolve = (await api('sessions/[sessionId]/disputes/[disputeId]')).POST;
    const res = await lecturer.call(
      resolve,
      'POST',
      `/api/sessions/${sessions.late}/disputes/${dispute.disputeId}`,
      {
        sessionId: sessions.late!,
        disputeId: dispute.disputeId,
      },
      { decision: 'decline' },
    );
    expect(await res.json()).toEqual({ state: 'declined', status: null });
    const mine = (await (await me.call((await api('me')).GET, 'GET', '/api/me')).json()) as {
      courses: { sessions: { sessionId: string; status: string; dispute: { state: string } | null }[] }[];
    };
    expect(mine.courses[0]!.sessions.find((s) => s.sessionId === sessions.late)).toMatchObject({
      status: 'late',
      dispute: { state: 'declined' },
    });
  });

  describe('their data', () => {
    const photoId = crypto.randomUUID();
    let photoKey: string;
    let cropKey: string;
    beforeAll(async () => {
      const storage = getStorage();
      photoKey = `photos/${student.studentId}/${photoId}.jpg`;
      await storage.put(photoKey, Buffer.from('siti jpeg bytes'), 'image/jpeg');
      await insertPhotoWithTemplate(
        {
          photoId,
          studentId: student.studentId,
          storageKey: photoKey,
          contentSha256: 'a'.repeat(64),
          quality: null,
          accepted: true,
          reason: null,
        },
        { model: 'm', modelVersion: 'v', dims: 4, embedding: Buffer.alloc(16) },
        null,
      );
      cropKey = `unknown-faces/t/${crypto.randomUUID()}.jpg`;
      await storage.put(cropKey, Buffer.from('crop'), 'image/jpeg');
      await insertUnknownFace({
        sessionId: null,
        cameraId: null,
        storageKey: cropKey,
        embedding: Buffer.alloc(16),
        model: 'm|v',
        seenAt: new Date(),
        kind: 'suspected_spoof',
        matchedStudentId: student.studentId,
      });
    });

    it('says how many photos and templates are held and since when', async () => {
      const body = (await (await me.call((await api('me')).GET, 'GET', '/api/me')).json()) as {
        data: { photos: number; templates: number; enrolledAt: string | null; erasureRequestedAt: string | null };
      };
      expect(body.data).toMatchObject({ photos: 1, templates: 1, erasureRequestedAt: null });
      expect(body.data.enrolledAt).not.toBeNull();
    });

    it('downloads a ZIP copy: my-data.json with their rows and their photo, no crops, no one else (audited)', async () => {
      const res = await me.call((await api('me/data-copy')).GET, 'GET', '/api/me/data-copy');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/zip');
      expect(res.headers.get('content-disposition')).toContain('my-data-SA-1001.zip');
      const zip = await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
      expect(Object.keys(zip.files).sort()).toEqual(['my-data.json', 'photos/', `photos/${photoId}.jpg`]);
      expect(await zip.file(`photos/${photoId}.jpg`)!.async('string')).toBe('siti jpeg bytes');
      const copy = JSON.parse(await zip.file('my-data.json')!.async('string')) as Record<string, unknown> & {
        student: { studentId: string; studentNumber: string };
        attendance: { sessionId: string; status: string }[];
        templates: { model: string }[];
        disputes: unknown[];
        photos: { photoId: string; file: string }[];
      };
      expect(copy.student).toMatchObject({ studentId: student.studentId, studentNumber: 'SA-1001' });
      expect(copy.attendance.map((a) => a.status).sort()).toEqual(['late', 'present', 'present']);
      expect(copy.photos).toEqual([expect.objectContaining({ photoId, file: `photos/${photoId}.jpg` })]);
      expect(copy.templates).toEqual([expect.objectContaining({ model: 'm' })]);
      expect(copy.disputes).toHaveLength(2);
      const text = JSON.stringify(copy);
      expect(text).not.toContain(classmate.studentId);
      expect(text).not.toContain(cropKey);
      expect(text).not.toMatch(/"(livenessScore|livenessDoubtful|embedding|cameraId)"/);
      const audit = (await listAuditLog({ action: 'student.data_copy', pageSize: 20 })).rows;
      expect(audit.find((r) => r.entityId === student.studentId)).toBeTruthy();
    });

    it('asks for erasure; an admin confirms it: photos, templates, files and crops gone, each step audited', async () => {
      const ask = await me.call((await api('me/erasure')).POST, 'POST', '/api/me/erasure');
      expect(ask.status).toBe(202);
      expect((await listErasureRequests()).map((r) => [r.studentId, r.photos, r.templates])).toEqual([
        [student.studentId, 1, 1],
      ]);

      const confirm = (await api('students/[studentId]/erasure')).POST;
      const params = { studentId: student.studentId };
      const path = `/api/students/${student.studentId}/erasure`;
      expect((await me.call(confirm, 'POST', path, params)).status).toBe(403);
      expect((await lecturer.call(confirm, 'POST', path, params)).status).toBe(403);
      const admin = await makeUser({ role: 'admin', password: 'admin password 1' });
      const { signIn } = await import('../helpers/auth-requests');
      const { jar } = await signIn(admin.email, 'admin password 1');
      const adminBrowser = new Browser();
      for (const [k, v] of jar.cookies) adminBrowser.jar(base).cookies.set(k, v);
      const res = await adminBrowser.call(confirm, 'POST', path, params);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ photos: 1, templates: 1, unknownFaces: 1 });
      expect(await getStorage().get(photoKey)).toBeNull();
      expect(await getStorage().get(cropKey)).toBeNull();
      expect(await listErasureRequests()).toEqual([]);
      const data = (await (await me.call((await api('me')).GET, 'GET', '/api/me')).json()) as {
        data: Record<string, unknown>;
      };
      expect(data.data).toMatchObject({ photos: 0, templates: 0, enrolledAt: null, erasureRequestedAt: null });
      const actions = (await listAuditLog({ pageSize: 300 })).rows
        .filter((r) => r.entityId === student.studentId && r.action.startsWith('student.'))
        .map((r) => [r.action, r.actorUserId]);
      expect(actions).toEqual(
        expect.arrayContaining([
          ['student.erasure_request', null],
          ['student.erasure_confirm', admin.userId],
          ['student.delete_biometrics', admin.userId],
        ]),
      );
      expect((await adminBrowser.call(confirm, 'POST', path, params)).status).toBe(409);
    });
  });
});
