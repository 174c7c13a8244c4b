import Link from 'next/link';
import type { ReactNode } from 'react';

/** Small presentational pieces shared by the dashboard pages (server-safe, no state). */
export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-center justify-between gap-3">
      <h1 className="min-w-0 text-2xl font-semibold break-words">{children}</h1>
      {actions}
    </div>
  );
}

export function Card({ title, children }: { title?: ReactNode; children: ReactNode }) {
  return (
    <section className="mb-6 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      {title ? <h2 className="mb-3 text-lg font-medium">{title}</h2> : null}
      {children}
    </section>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <p className="rounded-md border border-dashed border-slate-300 p-6 text-center text-sm text-slate-500">
      {children}
    </p>
  );
}

export function Badge({
  tone = 'slate',
  children,
}: {
  tone?: 'green' | 'red' | 'amber' | 'slate' | 'blue';
  children: ReactNode;
}) {
  const tones = {
    green: 'bg-green-100 text-green-800',
    red: 'bg-red-100 text-red-800',
    amber: 'bg-amber-100 text-amber-800',
    slate: 'bg-slate-100 text-slate-700',
    blue: 'bg-blue-100 text-blue-800',
  };
  return <span className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${tones[tone]}`}>{children}</span>;
}

/** `headClass` per column, e.g. `hidden sm:table-cell` for a column a phone shows inside another. */
export function Table({
  head,
  headClass = [],
  children,
}: {
  head: ReactNode[];
  headClass?: (string | undefined)[];
  children: ReactNode;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-slate-500">
          <tr>
            {head.map((h, i) => (
              <th key={i} className={`px-2 py-2 font-medium ${headClass[i] ?? ''}`}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

export function Td({ children, className = '' }: { children?: ReactNode; className?: string }) {
  return <td className={`px-2 py-2 align-top ${className}`}>{children}</td>;
}

export function Pager({
  page,
  pageSize,
  total,
  href,
  labels,
}: {
  page: number;
  pageSize: number;
  total: number;
  href: (page: number) => string;
  labels: { previous: string; next: string; page: string; of: string };
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav aria-label="pagination" className="mt-4 flex items-center gap-3 text-sm">
      {page > 1 ? (
        <Link className="text-blue-700 hover:underline" href={href(page - 1)}>
          {labels.previous}
        </Link>
      ) : (
        <span className="text-slate-400">{labels.previous}</span>
      )}
      <span>
        {labels.page} {page} {labels.of} {pages}
      </span>
      {page < pages ? (
        <Link className="text-blue-700 hover:underline" href={href(page + 1)}>
          {labels.next}
        </Link>
      ) : (
        <span className="text-slate-400">{labels.next}</span>
      )}
    </nav>
  );
}

export function pct(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 1000) / 10} %`;
}

const LOCALES = { en: 'en-GB', id: 'id-ID' } as const;

/** Date and time as the dashboard shows them: medium date, 24-hour clock, in the UI language. */
export function fmtTime(d: Date | string | null, lang: keyof typeof LOCALES = 'en'): string {
  if (!d) return '—';
  return new Date(d).toLocaleString(LOCALES[lang], { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' });
}

/** Hours and minutes only (lists of one day), 24-hour. */
export function fmtHourMinute(d: Date | string, lang: keyof typeof LOCALES = 'en'): string {
  return new Date(d).toLocaleTimeString(LOCALES[lang], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** Clock time only (live lists), 24-hour. */
export function fmtClock(d: Date | string, lang: keyof typeof LOCALES = 'en'): string {
  return new Date(d).toLocaleTimeString(LOCALES[lang], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
}
