/**
 * A real OpenID Connect provider for tests (the `oidc-provider` package, as certified by the OpenID
 * Foundation) on loopback, with one confidential client and a few campus accounts carrying email,
 * name and a `groups` claim. Its login page checks the account's password; consent is pre-granted
 * (a first-party app), so a sign-in is: the app's redirect, the login form, the redirect back.
 * PKCE is required for the client, as a campus IdP configured by the book would.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

export interface IdpAccount {
  email: string;
  name: string;
  password: string;
  groups: string[];
  emailVerified?: boolean;
  /** Released as the `student_number` claim (profile scope), as a campus IdP may for students. */
  studentNumber?: string;
}

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /**
   * The app's OIDC settings for this provider (role claim `groups`: staff-admins → admin, staff-lecturers
   * → lecturer, students → student, linked by e-mail unless a test adds OIDC_STUDENT_NUMBER_CLAIM).
   */
  appEnv: Record<string, string>;
  stop(): Promise<void>;
}

export const ADMIN_GROUP = 'staff-admins';
export const LECTURER_GROUP = 'staff-lecturers';
export const STUDENT_GROUP = 'students';

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function loginPage(res: ServerResponse, uid: string, error?: string): void {
  res.writeHead(error ? 401 : 200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><title>Test campus sign-in</title>
<h1>Test campus sign-in</h1>${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}">
<label>Campus e-mail <input name="login" type="email" required></label>
<label>Password <input name="password" type="password" required></label>
<button type="submit">Sign in to campus</button></form>`);
}

/**
 * Starts the provider on 127.0.0.1. `redirectUris` are the app's callback URLs
 * (<base>/api/auth/callback/oidc); accounts are keyed by e-mail, which is also their `sub`.
 */
export async function startOidcProvider(options: { redirectUris: string[]; accounts: IdpAccount[] }): Promise<TestIdp> {
  const accounts = new Map(options.accounts.map((a) => [a.email, a]));
  const clientId = 'attendance-test';
  const clientSecret = randomBytes(24).toString('base64url');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'student_number'],
      groups: ['groups'],
    },
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    features: { devInteractions: { enabled: false } },
    interactions: {
      url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    async findAccount(_ctx: KoaContextWithOIDC, id: string) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          email: account.email,
          email_verified: account.emailVerified ?? true,
          name: account.name,
          groups: account.groups,
          ...(account.studentNumber ? { student_number: account.studentNumber } : {}),
        }),
      };
    },
    // The app is first-party: every scope it asks for is granted without a consent screen.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { oidc } = ctx;
      const existing = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(oidc.client!.clientId);
      if (existing) return oidc.provider.Grant.find(existing);
      const grant = new oidc.provider.Grant({ clientId: oidc.client!.clientId, accountId: oidc.session!.accountId });
      grant.addOIDCScope(String(oidc.params?.scope ?? 'openid'));
      await grant.save();
      return grant;
    },
  });
  const callback = provider.callback();

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', issuer).pathname;
    const interaction = /^\/interaction\/([\w-]+)$/.exec(path);
    if (!interaction) return callback(req, res);
    void (async () => {
      try {
        const details = await provider.interactionDetails(req, res);
        if (req.method !== 'POST') return loginPage(res, details.uid);
        const form = await formBody(req);
        const account = accounts.get(form.get('login')?.trim().toLowerCase() ?? '');
        if (!account || account.password !== form.get('password'))
          return loginPage(res, details.uid, 'Wrong campus e-mail or password.');
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: account.email } },
          {
            mergeWithLastSubmission: false,
          },
        );
      } catch (err) {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(`interaction failed: ${(err as Error).message}`);
      }
    })();
  });

  return {
    issuer,
    clientId,
    clientSecret,
    appEnv: {
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: clientId,
      OIDC_CLIENT_SECRET: clientSecret,
      OIDC_SCOPES: 'openid email profile groups',
      OIDC_NAME: 'Test Campus',
      OIDC_ROLE_CLAIM: 'groups',
      OIDC_ADMIN_VALUES: ADMIN_GROUP,
      OIDC_LECTURER_VALUES: LECTURER_GROUP,
      OIDC_STUDENT_VALUES: STUDENT_GROUP,
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
