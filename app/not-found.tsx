import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="mx-auto max-w-md p-8 text-center">
      <h1 className="text-2xl font-semibold">404 — Not found</h1>
      <Link href="/" className="mt-4 inline-block text-blue-700 hover:underline">
        Overview
      </Link>
    </main>
  );
}
