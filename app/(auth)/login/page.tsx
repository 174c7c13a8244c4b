import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { oidcConfig } from '@/lib/auth/oidc';
import { safeCallback } from '@/lib/auth/safe-callback';
import { currentUser } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { LoginForm } from './login-form';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  const settings = env();
  const sso = oidcConfig(settings);

  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-xl font-semibold">Sign in</h1>
        <p className="mt-1 text-sm text-slate-500">Class attendance dashboard</p>
        <LoginForm
          callbackUrl={callbackUrl}
          ssoName={sso?.name}
          passwordsAdminsOnly={settings.LOCAL_PASSWORDS === 'admins'}
          initialError={params.error ? 'Sign-in failed. Try again.' : undefined}
        />
      </div>
    </main>
  );
}
