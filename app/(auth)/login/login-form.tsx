'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';

export function LoginForm({
  callbackUrl,
  initialError,
  ssoName,
  passwordsAdminsOnly = false,
}: {
  callbackUrl: string;
  initialError?: string;
  /** Set when campus single sign-on is configured: the button reads "Sign in with <ssoName>". */
  ssoName?: string;
  /** LOCAL_PASSWORDS=admins: the password form is only for a break-glass admin. */
  passwordsAdminsOnly?: boolean;
}) {
  const router = useRouter();
  const [error, setError] = useState(initialError);
  const [pending, setPending] = useState(false);
  const [redirecting, setRedirecting] = useState(false);

  async function onSingleSignOn() {
    setRedirecting(true);
    setError(undefined);
    // Auth.js posts its CSRF token and sends the browser to the IdP (code flow with PKCE and state).
    await signIn('oidc', { callbackUrl });
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(undefined);
    const result = await signIn('credentials', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      redirect: false,
    });
    setPending(false);
    if (result?.status === 429) {
      setError('Too many failed sign-ins. Wait 15 minutes, or ask an admin to reset your password.');
      return;
    }
    if (!result || result.error) {
      setError('Wrong email or password.');
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  }

  const form = (
    <form method="post" onSubmit={onSubmit} className="mt-6 space-y-4" aria-label="Sign in">
      <label className="block">
        <span className="text-sm font-medium">Email</span>
        <input
          name="email"
          type="email"
          autoComplete="username"
          required
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 focus:border-blue-500 focus:outline-none"
        />
      </label>
      <label className="block">
        <span className="text-sm font-medium">Password</span>
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 focus:border-blue-500 focus:outline-none"
        />
      </label>
      {error ? (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-blue-600 px-4 py-2 font-medium text-white hover:bg-blue-700 disabled:opacity-60"
      >
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
  if (!ssoName) return form;
  return (
    <>
      <button
        type="button"
        onClick={onSingleSignOn}
        disabled={redirecting}
        className="mt-6 w-full rounded-md bg-blue-600 px-4 py-2 font-medium text-white hover:bg-blue-700 disabled:opacity-60"
      >
        {redirecting ? 'Redirecting…' : `Sign in with ${ssoName}`}
      </button>
      <details className="mt-6 text-sm" open={!passwordsAdminsOnly || Boolean(initialError)}>
        <summary className="cursor-pointer text-slate-600">
          {passwordsAdminsOnly ? 'Administrator sign-in with a password' : 'Or sign in with email and password'}
        </summary>
        {passwordsAdminsOnly ? (
          <p className="mt-2 text-slate-500">
            Passwords here are for administrators only; everyone else uses {ssoName}.
          </p>
        ) : null}
        {form}
      </details>
    </>
  );
}
