import type { Metadata } from 'next';
import Link from 'next/link';
import { oidcConfig, type OidcRefusal } from '@/lib/auth/oidc';
import { env } from '@/lib/env';

export const metadata: Metadata = { title: 'Not signed in' };
export const dynamic = 'force-dynamic';

const MESSAGES: Record<OidcRefusal, { title: string; body: (campus: string) => string }> = {
  not_registered: {
    title: 'You are not registered here',
    body: (campus) =>
      `${campus} knows you, but this attendance system has no account for you and none of your ${campus} groups gives one. Ask an administrator of this system to add you (with the e-mail address ${campus} has for you), then sign in again.`,
  },
  disabled: {
    title: 'Your account here is disabled',
    body: () => 'An administrator of this system has disabled your account. Ask them to enable it again.',
  },
  no_email: {
    title: 'No e-mail address was given',
    body: (campus) =>
      `${campus} did not tell this system your e-mail address, which is how it knows who you are. Ask your ${campus} administrator to release the email claim to this application.`,
  },
  email_unverified: {
    title: 'Your e-mail address is not verified',
    body: (campus) => `${campus} says your e-mail address is not verified yet. Verify it there, then sign in again.`,
  },
  student_not_linked: {
    title: 'We have no student record for you',
    body: (campus) =>
      `${campus} says you are a student, but no student in this attendance system has your student number or e-mail address, so we cannot show you anyone's attendance. Ask your lecturer or an administrator of this system to check your student number and e-mail here, then sign in again.`,
  },
};

/** Where a refused campus sign-in lands (lib/auth/options.ts signIn callback): says why, in words. */
export default async function RefusedPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { reason } = await searchParams;
  const message =
    MESSAGES[
      (typeof reason === 'string' && Object.hasOwn(MESSAGES, reason) ? reason : 'not_registered') as OidcRefusal
    ];
  const campus = oidcConfig(env())?.name ?? 'Your identity provider';
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-xl font-semibold">{message.title}</h1>
        <p className="mt-3 text-sm text-slate-600">{message.body(campus)}</p>
        <p className="mt-6 text-sm">
          <Link href="/login" className="text-blue-600 hover:underline">
            Back to sign-in
          </Link>
        </p>
      </div>
    </main>
  );
}
