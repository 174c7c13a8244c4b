import Link from 'next/link';
import type { ReactNode } from 'react';
import { SignOutButton } from '@/components/sign-out-button';
import { requirePageUser } from '@/lib/auth/page';
import type { MessageKey } from '@/lib/i18n/dictionary';
import { getI18n } from './i18n';
import { LangSwitch } from './lang-switch';

const NAV: { href: string; key: MessageKey; adminOnly?: boolean }[] = [
  { href: '/', key: 'nav.overview' },
  { href: '/students', key: 'nav.students', adminOnly: true },
  { href: '/courses', key: 'nav.courses' },
  { href: '/sessions', key: 'nav.sessions' },
  { href: '/cameras', key: 'nav.cameras', adminOnly: true },
  { href: '/reports', key: 'nav.reports' },
  { href: '/users', key: 'nav.users', adminOnly: true },
  { href: '/audit', key: 'nav.audit', adminOnly: true },
];

/** Every dashboard page needs a signed-in user; each page checks its own role again (layouts don't guard data). */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  const { lang, t } = await getI18n();
  return (
    <div className="min-h-screen" lang={lang}>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-4 px-4 py-3">
          <Link href="/" className="font-semibold">
            Attendance
          </Link>
          <nav aria-label="Main" className="flex flex-wrap gap-3 text-sm">
            {NAV.filter((n) => !n.adminOnly || user.role === 'admin').map((n) => (
              <Link key={n.href} href={n.href} className="text-slate-600 hover:text-blue-700">
                {t(n.key)}
              </Link>
            ))}
          </nav>
          <div className="ml-auto flex min-w-0 flex-wrap items-center gap-3 text-sm text-slate-600">
            <LangSwitch lang={lang} />
            <span data-testid="whoami" className="min-w-0 break-all">
              {user.name ?? user.email} · {user.role}
            </span>
            <SignOutButton label={t('nav.signOut')} />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
    </div>
  );
}
