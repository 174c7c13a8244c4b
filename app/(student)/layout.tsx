import type { ReactNode } from 'react';
import { getI18n } from '@/app/(dashboard)/i18n';
import { LangSwitch } from '@/app/(dashboard)/lang-switch';
import { SignOutButton } from '@/components/sign-out-button';
import { requirePageUser } from '@/lib/auth/page';

/** A signed-in student's own pages: no staff navigation, phone-first (one column). */
export default async function StudentLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser(['student'], '/me');
  const { lang, t } = await getI18n();
  return (
    <div className="min-h-screen" lang={lang}>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-2xl flex-wrap items-center gap-3 px-4 py-3 text-sm">
          <span data-testid="whoami" className="min-w-0 font-semibold break-all">
            {user.name ?? user.email}
          </span>
          <div className="ml-auto flex items-center gap-3">
            <LangSwitch lang={lang} />
            <SignOutButton label={t('nav.signOut')} />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-2xl px-4 py-6">{children}</main>
    </div>
  );
}
