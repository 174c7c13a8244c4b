'use client';

import { useRouter } from 'next/navigation';
import { LANG_COOKIE, type Lang } from '@/lib/i18n/dictionary';

/** EN / ID switch: stores the choice in a cookie (a year) and re-renders the server components. */
export function LangSwitch({ lang }: { lang: Lang }) {
  const router = useRouter();
  function choose(next: Lang) {
    document.cookie = `${LANG_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
    router.refresh();
  }
  return (
    <div className="flex gap-1 text-xs" role="group" aria-label="Language">
      {(['en', 'id'] as const).map((l) => (
        <button
          key={l}
          type="button"
          onClick={() => choose(l)}
          aria-pressed={l === lang}
          className={`rounded px-2 py-1 ${l === lang ? 'bg-slate-800 text-white' : 'bg-slate-200 text-slate-700'}`}
        >
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
