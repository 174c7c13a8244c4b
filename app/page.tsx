import { requireUserOrRedirect } from '@/lib/auth/session';
import { SignOutButton } from '@/components/sign-out-button';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const user = await requireUserOrRedirect();
  return (
    <main className="mx-auto max-w-3xl p-8">
      <header className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Attendance</h1>
        <div className="flex items-center gap-3 text-sm text-slate-600">
          <span>
            {user.name ?? user.email} · {user.role}
          </span>
          <SignOutButton />
        </div>
      </header>
      <p className="mt-6 text-slate-600">Signed in. Sessions, students and reports appear here as they are built.</p>
    </main>
  );
}
