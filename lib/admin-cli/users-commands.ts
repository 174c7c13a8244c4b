/**
 * `users add|list|disable|enable|reset-password`: dashboard accounts. JSON shapes are the contract
 * (README, Admin CLI). A generated password is printed once and never stored in clear.
 */
import {
  createUser,
  disableUser,
  enableUser,
  findUserByEmailOrThrow,
  generatePassword,
  listUsers,
  nameFromEmail,
  resetPassword,
  toPublicUser,
  type PublicUser,
} from '@/lib/data/users';
import { z } from 'zod';
import type { UserRole } from '@/db/schema';
import { AppError } from '@/lib/errors';
import type { ParsedCommand } from './args';

type Result = { json: unknown; text: string };
type Options = ParsedCommand['options'];
const str = (o: Options, k: string) => (typeof o[k] === 'string' ? (o[k] as string) : '');

/** Enough for any password (72 bytes is the limit); stops a stray pipe from being read forever. */
const MAX_LINE_CHARS = 4096;
// The sign-in form checks emails the same way: an address it refuses could never sign in.
const EMAIL = z.email().max(255);

/** The first line of `input` without its line ending (all of it when there is no newline). */
export async function readFirstLine(input: NodeJS.ReadableStream): Promise<string> {
  input.setEncoding('utf8');
  let text = '';
  for await (const chunk of input) {
    text += chunk as string;
    const end = text.indexOf('\n');
    if (end >= 0) return text.slice(0, end).replace(/\r$/, '');
    if (text.length > MAX_LINE_CHARS) break;
  }
  return text.replace(/\r$/, '');
}

async function passwordFrom(o: Options): Promise<{ password: string; generated: boolean }> {
  if (o['password-stdin'] !== true) return { password: generatePassword(), generated: true };
  if (process.stdin.isTTY) process.stderr.write('Password (it will be visible; pipe it in to avoid that): ');
  const password = await readFirstLine(process.stdin);
  if (password === '')
    throw new AppError(
      'VALIDATION',
      '--password-stdin: the first line of stdin is empty; give a password there or leave the option out to generate one',
    );
  return { password, generated: false };
}

function userJson(u: PublicUser) {
  return {
    user_id: u.userId,
    email: u.email,
    name: u.name,
    role: u.role,
    status: u.disabledAt ? ('disabled' as const) : ('active' as const),
    disabled_at: u.disabledAt?.toISOString() ?? null,
    last_login_at: u.lastLoginAt?.toISOString() ?? null,
    created_at: u.createdAt.toISOString(),
  };
}

const shownOnce = (password: string) => `Password (shown once, store it now): ${password}`;

export async function usersAdd(o: Options): Promise<Result> {
  const email = str(o, 'email').trim();
  if (!EMAIL.safeParse(email).success)
    throw new AppError('VALIDATION', `--email must be an email address, got "${email}"`);
  const name = str(o, 'name').trim() || nameFromEmail(email);
  const { password, generated } = await passwordFrom(o);
  const user = toPublicUser(await createUser({ email, name, role: str(o, 'role') as UserRole, password }));
  const json = { ...userJson(user), ...(generated ? { password } : {}) };
  return {
    json,
    text: [`Created ${user.role} ${user.email} (${user.userId}).`, ...(generated ? [shownOnce(password)] : [])].join(
      '\n',
    ),
  };
}

export async function usersList(): Promise<Result> {
  const json = (await listUsers()).map(userJson);
  const line = (u: (typeof json)[number]) =>
    `${u.email.padEnd(32)} ${u.role.padEnd(8)} ${u.status.padEnd(8)} last sign-in ${u.last_login_at ?? 'never'}  ${u.name}`;
  return {
    json,
    text: json.length ? json.map(line).join('\n') : 'No users yet (add one with: users add --email E --role admin).',
  };
}

export async function usersDisable(o: Options): Promise<Result> {
  const user = await disableUser((await findUserByEmailOrThrow(str(o, 'email'))).userId, null);
  return {
    json: userJson(toPublicUser(user)),
    text: `Disabled ${user.email}: they cannot sign in, and open sessions end within 5 seconds.`,
  };
}

export async function usersEnable(o: Options): Promise<Result> {
  const user = await enableUser((await findUserByEmailOrThrow(str(o, 'email'))).userId, null);
  return { json: userJson(toPublicUser(user)), text: `Enabled ${user.email}: they can sign in again.` };
}

export async function usersResetPassword(o: Options): Promise<Result> {
  const target = await findUserByEmailOrThrow(str(o, 'email'));
  const { password, generated } = await passwordFrom(o);
  const user = toPublicUser(await resetPassword(target.userId, password, null));
  const json = { ...userJson(user), ...(generated ? { password } : {}) };
  return {
    json,
    text: [
      `New password set for ${user.email}; their open sessions end within 5 seconds.`,
      ...(generated ? [shownOnce(password)] : []),
    ].join('\n'),
  };
}
