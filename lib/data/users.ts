import 'server-only';
import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import { runDb, type Tx } from '@/db/client';
import { users, type User, type UserRole } from '@/db/schema';
import { AppError, isAppError } from '@/lib/errors';
import { insertAudit } from './audit';

const BCRYPT_COST = 10;
// Compared against when the email is unknown, so both paths cost one bcrypt comparison.
let dummyHash: Promise<string> | undefined;

/** A user as the API and CLI show it: no password hash, no session version. */
export type PublicUser = Omit<User, 'passwordHash' | 'tokenVersion'>;

export function toPublicUser(user: User): PublicUser {
  const { passwordHash: _hash, tokenVersion: _version, ...rest } = user;
  return rest;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** bcrypt only reads the first 72 bytes of a password: a longer one is refused rather than silently cut. */
export const MAX_PASSWORD_BYTES = 72;
export const MIN_PASSWORD_LENGTH = 8;

export async function hashPassword(password: string): Promise<string> {
  if (password.length === 0)
    throw new AppError('VALIDATION', 'The password is empty; give one or let the system generate one');
  if ([...password].length < MIN_PASSWORD_LENGTH)
    throw new AppError('VALIDATION', `Passwords must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) {
    throw new AppError(
      'VALIDATION',
      `Passwords can be at most ${MAX_PASSWORD_BYTES} bytes (about 72 letters, fewer with accents or emoji); choose a shorter one`,
    );
  }
  return bcrypt.hash(password, BCRYPT_COST);
}

/** A random 20-character password (120 bits, URL-safe letters), for new users and resets. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}

/** The name a user gets when none is given: the part of the email before the @. */
export function nameFromEmail(email: string): string {
  return normalizeEmail(email).split('@')[0] || normalizeEmail(email);
}

export async function findUserByEmail(email: string): Promise<User | undefined> {
  return runDb('users.findByEmail', async (db) => {
    const [row] = await db
      .select()
      .from(users)
      .where(eq(users.email, normalizeEmail(email)))
      .limit(1);
    return row;
  });
}

export async function findUserByEmailOrThrow(email: string): Promise<User> {
  const user = await findUserByEmail(email);
  if (!user) throw new AppError('NOT_FOUND', `Unknown user "${normalizeEmail(email)}" (list them with: users list)`);
  return user;
}

export async function getUserOrThrow(userId: string): Promise<User> {
  const user = await runDb('users.get', async (db) => {
    const [row] = await db.select().from(users).where(eq(users.userId, userId)).limit(1);
    return row;
  });
  if (!user) throw new AppError('NOT_FOUND', `User ${userId} not found`);
  return user;
}

/** Every user, by email. */
export async function listUsers(): Promise<PublicUser[]> {
  const rows = await runDb('users.list', (db) => db.select().from(users).orderBy(asc(users.email)));
  return rows.map(toPublicUser);
}

/** What a session check needs to know about its user (see lib/auth/session-check.ts). */
export type UserAuthState = Pick<User, 'userId' | 'role' | 'name' | 'email' | 'tokenVersion' | 'disabledAt'>;

export async function getUserAuthState(userId: string): Promise<UserAuthState | undefined> {
  return runDb('users.authState', async (db) => {
    const [row] = await db
      .select({
        userId: users.userId,
        role: users.role,
        name: users.name,
        email: users.email,
        tokenVersion: users.tokenVersion,
        disabledAt: users.disabledAt,
      })
      .from(users)
      .where(eq(users.userId, userId))
      .limit(1);
    return row;
  });
}

export interface CreateUserInput {
  email: string;
  name: string;
  password: string;
  role: UserRole;
}

/** Creates a user and audits it (`user.create`) in one transaction; a taken email is a 409. */
export async function createUser(input: CreateUserInput, actorUserId: string | null = null): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  const email = normalizeEmail(input.email);
  const userId = crypto.randomUUID();
  try {
    await runDb('users.create', (db) =>
      db.transaction(async (tx) => {
        await tx.insert(users).values({ userId, email, name: input.name, role: input.role, passwordHash });
        await audit(tx, actorUserId, 'user.create', userId, { email, role: input.role });
      }),
    );
  } catch (err) {
    if (isAppError(err) && err.code === 'CONFLICT')
      throw new AppError('CONFLICT', `A user with the email ${email} already exists`);
    throw err;
  }
  return getUserOrThrow(userId);
}

/** The user when email and password match and the account is enabled, otherwise null (same cost either way). */
export async function verifyCredentials(email: string, password: string): Promise<User | null> {
  const user = await findUserByEmail(email);
  dummyHash ??= bcrypt.hash('no such user', BCRYPT_COST);
  const ok = await bcrypt.compare(password, user?.passwordHash ?? (await dummyHash));
  return user && ok && !user.disabledAt ? user : null;
}

export async function recordLogin(userId: string, at = new Date()): Promise<void> {
  await runDb('users.recordLogin', (db) => db.update(users).set({ lastLoginAt: at }).where(eq(users.userId, userId)));
}

export interface UserPatch {
  name?: string;
  role?: UserRole;
  /** true disables (and ends the user's sessions), false enables. */
  disabled?: boolean;
}

function audit(tx: Tx, actorUserId: string | null, action: string, userId: string, details: Record<string, unknown>) {
  return insertAudit(tx, { actorUserId, action, entity: 'users', entityId: userId, details });
}

/**
 * Changes a user's name, role and/or enabled state, with one audit entry per kind of change, all in
 * one transaction. Disabling bumps `token_version`, so the user's sessions end at their next request.
 * An admin cannot disable themselves, and the last enabled admin can be neither disabled nor demoted
 * (409): the admin rows are locked while that is checked, so two admins cannot disable each other at once.
 */
export async function updateUser(
  userId: string,
  patch: UserPatch,
  actorUserId: string | null,
  now = new Date(),
): Promise<User> {
  await runDb('users.update', (db) =>
    db.transaction(async (tx) => {
      const [user] = await tx.select().from(users).where(eq(users.userId, userId)).for('update').limit(1);
      if (!user) throw new AppError('NOT_FOUND', `User ${userId} not found`);
      const disabling = patch.disabled === true && !user.disabledAt;
      const enabling = patch.disabled === false && user.disabledAt !== null;
      const newRole = patch.role !== undefined && patch.role !== user.role ? patch.role : undefined;
      const newName = patch.name !== undefined && patch.name !== user.name ? patch.name : undefined;
      if (disabling && actorUserId === userId)
        throw new AppError('CONFLICT', 'You cannot disable your own account; ask another admin');
      const losesAdmin = user.role === 'admin' && !user.disabledAt && (disabling || newRole === 'lecturer');
      if (losesAdmin) {
        const others = await tx
          .select({ userId: users.userId })
          .from(users)
          .where(and(eq(users.role, 'admin'), isNull(users.disabledAt), ne(users.userId, userId)))
          .for('update');
        if (others.length === 0) {
          throw new AppError(
            'CONFLICT',
            `${user.email} is the last enabled admin and cannot be ${disabling ? 'disabled' : 'made a lecturer'}; make another user admin first`,
          );
        }
      }
      const set: Partial<User> = {};
      if (newName !== undefined) set.name = newName;
      if (newRole !== undefined) set.role = newRole;
      if (disabling) set.disabledAt = now;
      if (enabling) set.disabledAt = null;
      if (Object.keys(set).length === 0) return;
      await tx
        .update(users)
        .set({ ...set, ...(disabling ? { tokenVersion: sql`${users.tokenVersion} + 1` } : {}) })
        .where(eq(users.userId, userId));
      if (newName !== undefined || newRole !== undefined) {
        const details: Record<string, unknown> = {};
        if (newName !== undefined) details.name = [user.name, newName];
        if (newRole !== undefined) details.role = [user.role, newRole];
        await audit(tx, actorUserId, 'user.update', userId, details);
      }
      if (disabling) await audit(tx, actorUserId, 'user.disable', userId, { email: user.email });
      if (enabling) await audit(tx, actorUserId, 'user.enable', userId, { email: user.email });
    }),
  );
  return getUserOrThrow(userId);
}

export const disableUser = (userId: string, actorUserId: string | null) =>
  updateUser(userId, { disabled: true }, actorUserId);
export const enableUser = (userId: string, actorUserId: string | null) =>
  updateUser(userId, { disabled: false }, actorUserId);

/** Sets a new password and bumps `token_version`, so every existing session of the user ends. */
export async function resetPassword(userId: string, password: string, actorUserId: string | null): Promise<User> {
  const passwordHash = await hashPassword(password);
  await runDb('users.resetPassword', (db) =>
    db.transaction(async (tx) => {
      const [user] = await tx
        .select({ email: users.email })
        .from(users)
        .where(eq(users.userId, userId))
        .for('update')
        .limit(1);
      if (!user) throw new AppError('NOT_FOUND', `User ${userId} not found`);
      await tx
        .update(users)
        .set({ passwordHash, tokenVersion: sql`${users.tokenVersion} + 1` })
        .where(eq(users.userId, userId));
      await audit(tx, actorUserId, 'user.password_reset', userId, { email: user.email });
    }),
  );
  return getUserOrThrow(userId);
}
