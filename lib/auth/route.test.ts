import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AppError } from '@/lib/errors';

const requireUser = vi.fn();
vi.mock('./session', () => ({ requireUser: (...args: unknown[]) => requireUser(...args) }));

const { pathParams, route } = await import('./route');

const ctx = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) });
// Real clients send Content-Length with a body (undici's Request does not add it by itself).
const post = (body: string, headers: Record<string, string> = {}) =>
  new Request('http://test/api/x', {
    method: 'POST',
    body,
    headers: {
      origin: 'http://test',
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      ...headers,
    },
  });

describe('route()', () => {
  beforeEach(() => {
    requireUser.mockReset();
    requireUser.mockResolvedValue({ id: 'u1', role: 'admin', email: 'a@b.c' });
  });

  it('parses path ids and the query string with their schemas; a bad one is a 400 with a sentence per field', async () => {
    const handler = route(
      { params: pathParams('courseId'), query: z.object({ page: z.coerce.number().int().min(1).default(1) }) },
      async ({ user, params, query }) =>
        // user is a SessionUser here (not null): no `user!` needed.
        Response.json({ user: user.id, courseId: params.courseId, page: query.page }),
    );
    const get = (url: string, params: Record<string, string>) => handler(new Request(url), ctx(params));
    expect(await (await get('http://test/api/x?page=', { courseId: 'c1' })).json()).toEqual({
      user: 'u1',
      courseId: 'c1',
      page: 1,
    });
    expect(await (await get('http://test/api/x?page=3', { courseId: 'c1' })).json()).toEqual({
      user: 'u1',
      courseId: 'c1',
      page: 3,
    });
    const badPage = await get('http://test/api/x?page=zero', { courseId: 'c1' });
    expect(badPage.status).toBe(400);
    expect(Object.keys((await badPage.json()).error.fields)).toEqual(['page']);
    const longId = await get('http://test/api/x', { courseId: 'x'.repeat(65) });
    expect(longId.status).toBe(400);
    expect((await longId.json()).error.fields.courseId).toMatch(/courseId in the address is too long/);
  });

  it('passes the user, parsed body and params to the handler', async () => {
    const handler = route({ roles: ['admin'], body: z.object({ n: z.number() }) }, async ({ user, body, params }) =>
      Response.json({ user: user?.id, n: body.n, id: params.id }),
    );
    const res = await handler(post('{"n":3}'), ctx({ id: 's1' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user: 'u1', n: 3, id: 's1' });
    expect(requireUser).toHaveBeenCalledWith(['admin']);
  });

  it("answers 400 with a sentence per field for a bad body (in the lang cookie's language), and for non-JSON", async () => {
    const handler = route(
      { body: z.object({ n: z.number(), name: z.string() }) },
      async () => new Response('unreachable'),
    );
    const bad = await handler(post('{"n":"x"}'), ctx());
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toEqual({
      code: 'VALIDATION',
      message: 'Check these fields: n, name.',
      fields: { n: 'Enter a number.', name: 'Fill in this field.' },
    });
    const id = await handler(post('{"n":1}', { cookie: 'lang=id' }), ctx());
    expect((await id.json()).error.fields).toEqual({ name: 'Isian ini wajib diisi.' });
    const notJson = await handler(post('not json'), ctx());
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.message).toBe('Send the request body as JSON.');
  });

  it('maps auth failures and AppErrors from the handler', async () => {
    requireUser.mockRejectedValueOnce(new AppError('FORBIDDEN', 'nope'));
    const handler = route({ roles: ['admin'] }, async () => {
      throw new AppError('NOT_FOUND', 'Session x not found');
    });
    expect((await handler(new Request('http://test'), ctx())).status).toBe(403);
    const res = await handler(new Request('http://test'), ctx());
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'Session x not found' } });
  });

  it('skips the session check for public routes and hides unexpected errors', async () => {
    const handler = route({ public: true }, async () => {
      throw new Error('db password is hunter2');
    });
    const res = await handler(new Request('http://test'), ctx());
    expect(requireUser).not.toHaveBeenCalled();
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('hunter2');
  });

  it('refuses a change from another origin, without an Origin, or as a form post (CSRF), but not a GET or a device route', async () => {
    const handler = route({ roles: ['admin'] }, async () => Response.json({ ok: true }));
    expect((await handler(post('{}'), ctx())).status).toBe(200);
    const foreign = await handler(post('{}', { origin: 'https://evil.example' }), ctx());
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).error.message).toMatch(
      /Cross-site request refused: changes must come from http:\/\/test/,
    );
    expect((await handler(new Request('http://test/api/x', { method: 'DELETE' }), ctx())).status).toBe(403);
    expect((await handler(post('a=1', { 'content-type': 'application/x-www-form-urlencoded' }), ctx())).status).toBe(
      403,
    );
    expect((await handler(post('a=1', { 'content-type': 'text/plain' }), ctx())).status).toBe(403);
    expect(
      (await handler(new Request('http://test/api/x', { method: 'DELETE', headers: { origin: 'http://test' } }), ctx()))
        .status,
    ).toBe(200);
    // Next.js gives a bodiless DELETE an (empty) body stream: no Content-Length, no Transfer-Encoding → no body.
    const bodiless = new Request('http://test/api/x', {
      method: 'DELETE',
      headers: { origin: 'http://test' },
      body: new ReadableStream({ start: (c) => c.close() }),
      duplex: 'half',
    } as RequestInit);
    expect((await handler(bodiless, ctx())).status).toBe(200);
    expect((await handler(new Request('http://test/api/x'), ctx())).status).toBe(200);
    const device = route({ public: true }, async () => Response.json({ ok: true }));
    expect(
      (
        await device(
          new Request('http://test/api/devices/d/frames', {
            method: 'POST',
            body: 'x',
            headers: { 'content-type': 'image/jpeg' },
          }),
          ctx(),
        )
      ).status,
    ).toBe(200);
  });

  it('answers 413 with a JSON message for a JSON body over 1 MB', async () => {
    const handler = route({ body: z.object({ n: z.number() }) }, async () => new Response('unreachable'));
    const res = await handler(post(JSON.stringify({ n: 1, pad: 'x'.repeat(1_100_000) })), ctx());
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'The JSON body is larger than 1 MB',
    });
  });

  it('keeps its options on the handler as its declaration, for the API document and the role matrix', () => {
    const body = z.object({ n: z.number() });
    const response = { status: 201 as const, json: z.object({ id: z.string() }) };
    const staff = route({ summary: 'Make one', body, ownCourse: true, response }, async () => new Response(null));
    expect(staff.declaration).toMatchObject({
      summary: 'Make one',
      roles: ['admin', 'lecturer'],
      public: false,
      ownCourse: true,
      body,
      response,
    });
    expect(route({ roles: ['student'] }, async () => new Response(null)).declaration.roles).toEqual(['student']);
    expect(route({ public: true }, async () => new Response(null)).declaration).toMatchObject({
      roles: [],
      public: true,
    });
  });
});
