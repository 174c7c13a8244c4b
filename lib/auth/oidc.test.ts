import { describe, expect, it } from 'vitest';
import { loadEnv } from '@/lib/env';
import { claimValues, oidcConfig, oidcProvider, roleFromClaims, type OidcConfig } from './oidc';

const config: OidcConfig = {
  issuer: 'https://idp.campus.example/realms/staff',
  clientId: 'attendance',
  clientSecret: 'secret',
  scopes: 'openid email profile',
  name: 'Campus',
  roleClaim: 'groups',
  adminValues: ['it-admins'],
  lecturerValues: ['faculty', 'lecturers'],
  studentValues: [],
};

describe('claim values', () => {
  it('reads an array, a single string and a dotted path (Keycloak realm_access.roles); ignores other shapes', () => {
    expect(claimValues({ groups: ['a', 'b', 3, ''] }, 'groups')).toEqual(['a', 'b']);
    expect(claimValues({ roles: 'faculty' }, 'roles')).toEqual(['faculty']);
    expect(claimValues({ realm_access: { roles: ['faculty'] } }, 'realm_access.roles')).toEqual(['faculty']);
    expect(claimValues({ realm_access: ['faculty'] }, 'realm_access.roles')).toEqual([]);
    expect(claimValues({ groups: { faculty: true } }, 'groups')).toEqual([]);
    expect(claimValues({}, 'groups')).toEqual([]);
  });
});

describe('role from claims', () => {
  it('maps the role claim: admin wins over lecturer, an unmapped value gives no role', () => {
    expect(roleFromClaims({ groups: ['faculty'] }, config)).toBe('lecturer');
    expect(roleFromClaims({ groups: ['lecturers', 'it-admins'] }, config)).toBe('admin');
    expect(roleFromClaims({ groups: ['library', 'students'] }, config)).toBeUndefined();
    expect(roleFromClaims({ roles: ['it-admins'] }, config)).toBeUndefined();
  });

  it('matches values exactly (group ids are case-sensitive)', () => {
    expect(roleFromClaims({ groups: ['Faculty'] }, config)).toBeUndefined();
  });

  it('gives no role without a role claim setting (then only e-mails of users made beforehand sign in)', () => {
    expect(roleFromClaims({ groups: ['it-admins'] }, { ...config, roleClaim: undefined })).toBeUndefined();
  });
});

describe('Auth.js provider', () => {
  it('uses discovery, the code flow with PKCE and state (and nonce), the ID token and the configured scopes', () => {
    const provider = oidcProvider({ ...config, issuer: 'https://idp.campus.example/realms/staff' });
    expect(provider).toMatchObject({
      id: 'oidc',
      type: 'oauth',
      name: 'Campus',
      wellKnown: 'https://idp.campus.example/realms/staff/.well-known/openid-configuration',
      idToken: true,
      authorization: { params: { scope: 'openid email profile' } },
    });
    expect(provider.checks).toEqual(expect.arrayContaining(['pkce', 'state']));
  });

  it('is configured only when issuer, client id and secret are set; a trailing slash of the issuer is dropped', () => {
    expect(oidcConfig(loadEnv({}))).toBeUndefined();
    const settings = loadEnv({
      OIDC_ISSUER: 'https://login.example.com/tenant/v2.0/',
      OIDC_CLIENT_ID: 'id',
      OIDC_CLIENT_SECRET: 'secret',
    });
    expect(oidcConfig(settings)).toMatchObject({ issuer: 'https://login.example.com/tenant/v2.0', name: 'Campus' });
  });
});
