import 'server-only';
import bcrypt from 'bcryptjs';
import { eq } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { users, type User, type UserRole } from '@/db/schema';
import { AppError } from '@/lib/errors';

const BCRYPT_COST = 10;
// Compared against when the email is unknown, so both paths cost one bcrypt comparison.
let dummyHash: Promise<string> | undefined;

export type PublicUser = Omit<User, 'passwordHash'>;

export function toPublicUser(user: User): PublicUser {
  const { passwordHash: _omit, ...rest } = user;
  return rest;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** bcrypt only reads the first 72 bytes of a password: a longer one is refused rather than silently cut. */
export const MAX_PASSWORD_BYTES = 72;

export async function hashPassword(password: string): Promise<string> {
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) {
    throw new AppError('VALIDATION', `Passwords can be at most ${MAX_PASSWORD_BYTES} bytes (about 72 letters, fewer with accents or emoji); choose a shorter one`);
  }
  return bcrypt.hash(password, BCRYPT_COST);
}

export async function findUserByEmail(email: string): Promise<User | undefined> {
  return runDb('users.findByEmail', async (db) => {
    const [row] = await db.select().from(users).where(eq(users.email, normalizeEmail(email))).limit(1);
    return row;
  });
}

export async function getUserOrThrow(userId: string): Promise<User> {
  const user = await runDb('users.get', async (db) => {
    const [row] = await db.select().from(users).where(eq(users.userId, userId)).limit(1);
    return row;
  });
  if (!user) throw new AppError('NOT_FOUND', `User ${userId} not found`);
  return user;
}

export interface CreateUserInput {
  email: string;
  name: string;
  password: string;
  role: UserRole;
}

export async function createUser(input: CreateUserInput): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  const email = normalizeEmail(input.email);
  await runDb('users.create', (db) => db.insert(users).values({ email, name: input.name, role: input.role, passwordHash }));
  const user = await findUserByEmail(email);
  if (!user) throw new Error(`user ${email} vanished after insert`);
  return user;
}

/** The user when email and password match, otherwise null (same cost either way). */
export async function verifyCredentials(email: string, password: string): Promise<User | null> {
  const user = await findUserByEmail(email);
  dummyHash ??= bcrypt.hash('no such user', BCRYPT_COST);
  const ok = await bcrypt.compare(password, user?.passwordHash ?? (await dummyHash));
  return user && ok ? user : null;
}

export async function recordLogin(userId: string, at = new Date()): Promise<void> {
  await runDb('users.recordLogin', (db) => db.update(users).set({ lastLoginAt: at }).where(eq(users.userId, userId)));
}
