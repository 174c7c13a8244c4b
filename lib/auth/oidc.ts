/**
 * Campus single sign-on (OpenID Connect) through Auth.js's own OAuth support: discovery, the
 * authorisation code flow with PKCE, state and nonce, and the ID token's signature are Auth.js's and
 * openid-client's work. This module only says which campus person is which user here:
 * the role claim (OIDC_ROLE_CLAIM) mapped to admin or lecturer, or an e-mail that matches a user
 * created beforehand. Anyone else is refused ("not registered here"), never given a silent account.
 * The signed-in user is a `users` row like any other, so its JWT carries the row id and
 * `token_version`, and disabling the row or bumping the version ends the session (session-check.ts).
 *
 * Students: a campus person with no staff role and no user account signs in as a student when they
 * link to exactly one `students` row — by the OIDC_STUDENT_NUMBER_CLAIM value (student number) when
 * that setting is given, else by the e-mail claim. With OIDC_STUDENT_VALUES set they must also carry
 * one of those values on the role claim. Staff wins: a person with a staff role or user account is
 * never signed in as a student. The JWT carries the student's row id and `session_version`.
 */
import 'server-only';
import type { User as AuthUser } from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import type { TokenSet } from 'openid-client';
import type { Student, User, UserRole } from '@/db/schema';
import { findStudentsForSignIn } from '@/lib/data/student-accounts';
import {
  createUser,
  findUserByEmail,
  generatePassword,
  nameFromEmail,
  normalizeEmail,
  updateUser,
} from '@/lib/data/users';
import type { Env } from '@/lib/env';
import { isAppError } from '@/lib/errors';
import { createLogger } from '@/lib/log';
import { sessionChecker } from './session-check';

/** Auth.js's provider id: the callback URL to register at the IdP is <NEXTAUTH_URL>/api/auth/callback/oidc. */
export const OIDC_PROVIDER_ID = 'oidc';

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  name: string;
  roleClaim?: string;
  adminValues: string[];
  lecturerValues: string[];
  /** Role-claim values that make a person a student; empty: any linked person without a staff role. */
  studentValues: string[];
  /** Claim holding the student number that links a student; unset: the e-mail links. */
  studentNumberClaim?: string;
}

/** The OIDC settings when single sign-on is configured (env.ts checks that issuer, id and secret come together). */
export function oidcConfig(settings: Env): OidcConfig | undefined {
  if (!settings.OIDC_ISSUER || !settings.OIDC_CLIENT_ID || !settings.OIDC_CLIENT_SECRET) return undefined;
  return {
    issuer: settings.OIDC_ISSUER.replace(/\/+$/, ''),
    clientId: settings.OIDC_CLIENT_ID,
    clientSecret: settings.OIDC_CLIENT_SECRET,
    scopes: settings.OIDC_SCOPES,
    name: settings.OIDC_NAME,
    roleClaim: settings.OIDC_ROLE_CLAIM,
    adminValues: settings.OIDC_ADMIN_VALUES,
    lecturerValues: settings.OIDC_LECTURER_VALUES,
    studentValues: settings.OIDC_STUDENT_VALUES ?? [],
    studentNumberClaim: settings.OIDC_STUDENT_NUMBER_CLAIM,
  };
}

export type OidcClaims = Record<string, unknown> & { sub: string };

/**
 * The values of a claim as strings: an array claim (`groups: [...]`), one string, or a dotted path into
 * nested claims (Keycloak's `realm_access.roles`). Anything else counts as no value.
 */
export function claimValues(claims: Record<string, unknown>, path: string): string[] {
  let value: unknown = claims;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
    value = (value as Record<string, unknown>)[key];
  }
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/** The role the IdP vouches for: admin when a value is an admin value, else lecturer for a lecturer value. */
export function roleFromClaims(claims: Record<string, unknown>, config: OidcConfig): UserRole | undefined {
  if (!config.roleClaim) return undefined;
  const values = new Set(claimValues(claims, config.roleClaim));
  if (config.adminValues.some((v) => values.has(v))) return 'admin';
  if (config.lecturerValues.some((v) => values.has(v))) return 'lecturer';
  return undefined;
}

/** Why a campus person was not signed in (audited, and named on the refusal page). */
export type OidcRefusal = 'not_registered' | 'disabled' | 'no_email' | 'email_unverified' | 'student_not_linked';

export type OidcOutcome =
  | { status: 'signed_in'; user: User; created: boolean }
  | { status: 'student'; student: Student }
  | { status: 'refused'; reason: OidcRefusal; email: string };

/**
 * A person with no staff role and no account: the one students row they link to, or why not. A person
 * the IdP calls a student (OIDC_STUDENT_VALUES) who links to no row is told so ("student_not_linked");
 * anyone else gets the usual "not registered here".
 */
async function resolveStudent(
  claims: Record<string, unknown>,
  config: OidcConfig,
  email: string,
): Promise<OidcOutcome> {
  const values = config.roleClaim ? new Set(claimValues(claims, config.roleClaim)) : new Set<string>();
  const saysStudent = config.studentValues.some((v) => values.has(v));
  if (config.studentValues.length > 0 && !saysStudent) return { status: 'refused', reason: 'not_registered', email };
  const refused: OidcOutcome = {
    status: 'refused',
    reason: saysStudent ? 'student_not_linked' : 'not_registered',
    email,
  };
  let rows: Student[];
  if (config.studentNumberClaim) {
    const [number] = claimValues(claims, config.studentNumberClaim);
    if (!number) return refused;
    rows = await findStudentsForSignIn({ studentNumber: number.trim().slice(0, 32) });
  } else {
    rows = await findStudentsForSignIn({ email });
  }
  // Two rows with one e-mail: linking either would show one student another's record.
  if (rows.length !== 1) {
    if (rows.length > 1) createLogger('auth').warn({ email }, 'student sign-in refused: several student rows match');
    return refused;
  }
  return { status: 'student', student: rows[0]! };
}

function emailOf(claims: Record<string, unknown>): string {
  return typeof claims.email === 'string' ? normalizeEmail(claims.email).slice(0, 255) : '';
}

function displayName(claims: Record<string, unknown>, email: string): string {
  const name = typeof claims.name === 'string' ? claims.name.trim() : '';
  return (name || nameFromEmail(email)).slice(0, 255);
}

/**
 * Finds (or, for a mapped role, creates) the user a campus person signs in as. The e-mail links them
 * to a user made beforehand (`users add`); the role claim, when it maps, sets the role (an admin
 * change through `users` is audited as `user.update` with no actor). A first sign-in with a mapped
 * role creates the user, with a random password nobody knows, since the IdP vouches for the role.
 */
export async function resolveOidcUser(claims: Record<string, unknown>, config: OidcConfig): Promise<OidcOutcome> {
  const email = emailOf(claims);
  if (!email) return { status: 'refused', reason: 'no_email', email };
  // Entra ID sends no email_verified; an IdP that says the address is unverified is not trusted with it.
  if (claims.email_verified === false || claims.email_verified === 'false')
    return { status: 'refused', reason: 'email_unverified', email };
  const role = roleFromClaims(claims, config);
  let user = await findUserByEmail(email);
  let created = false;
  if (!user) {
    if (!role) return resolveStudent(claims, config, email);
    try {
      user = await createUser({ email, name: displayName(claims, email), password: generatePassword(), role });
      created = true;
    } catch (err) {
      // Two first sign-ins at once: the other one made the row.
      if (!isAppError(err) || err.code !== 'CONFLICT') throw err;
      user = await findUserByEmail(email);
      if (!user) throw err;
    }
  }
  if (user.disabledAt) return { status: 'refused', reason: 'disabled', email };
  if (role && role !== user.role) {
    try {
      user = await updateUser(user.userId, { role }, null);
      // The user's other sessions take the new role at their next request, as after an admin's change.
      sessionChecker.forget(user.userId);
    } catch (err) {
      // The last enabled admin is not demoted by a group change; they keep the role and are told in the log.
      if (!isAppError(err) || err.code !== 'CONFLICT') throw err;
      createLogger('auth').warn(
        { userId: user.userId, role },
        `role from ${config.roleClaim} not applied: ${err.message}`,
      );
    }
  }
  return { status: 'signed_in', user, created };
}

/**
 * The Auth.js user for a campus person: the `users` row (id, role, token_version), or a refusal that
 * the signIn callback turns into the "not registered here" page.
 */
export async function oidcUser(claims: OidcClaims, config: OidcConfig): Promise<AuthUser> {
  const outcome = await resolveOidcUser(claims, config);
  if (outcome.status === 'refused') return { id: String(claims.sub), email: outcome.email, refusal: outcome.reason };
  if (outcome.status === 'student') {
    const { student } = outcome;
    return {
      id: student.studentId,
      email: student.email ?? '',
      name: student.name,
      role: 'student',
      tokenVersion: student.sessionVersion,
    };
  }
  const { user } = outcome;
  return { id: user.userId, email: user.email, name: user.name, role: user.role, tokenVersion: user.tokenVersion };
}

/** Auth.js's OAuth provider for the campus IdP (all protocol work is Auth.js's and openid-client's). */
export function oidcProvider(config: OidcConfig): OAuthConfig<OidcClaims> {
  return {
    id: OIDC_PROVIDER_ID,
    name: config.name,
    type: 'oauth',
    wellKnown: `${config.issuer}/.well-known/openid-configuration`,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    authorization: { params: { scope: config.scopes } },
    checks: ['pkce', 'state', 'nonce'],
    idToken: true,
    userinfo: {
      /**
       * The verified ID token's claims, completed by the userinfo endpoint: many IdPs (Keycloak,
       * oidc-provider) put e-mail and groups only there in the code flow, Entra ID only in the token.
       * openid-client checks that userinfo's `sub` is the ID token's.
       */
      async request({ tokens, client }) {
        // Auth.js types the token set loosely; at run time it is openid-client's TokenSet from client.callback().
        const set = tokens as unknown as TokenSet;
        const fromToken = set.claims();
        if (!client.issuer.metadata.userinfo_endpoint || !set.access_token) return fromToken;
        const info = await client.userinfo(set);
        return { ...info, ...fromToken };
      },
    },
    profile: (claims) => oidcUser(claims, config),
  };
}
