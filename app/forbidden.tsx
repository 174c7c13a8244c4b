import Link from 'next/link';

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-md p-8 text-center">
      <h1 className="text-2xl font-semibold">403 — Forbidden</h1>
      <p className="mt-2 text-slate-600">You do not have access to this page. / Anda tidak memiliki akses ke halaman ini.</p>
      <Link href="/" className="mt-4 inline-block text-blue-700 hover:underline">
        Overview
      </Link>
    </main>
  );
}
