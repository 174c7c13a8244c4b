import Link from 'next/link';

/**
 * The 404 / 403 content. Inside the dashboard it sits in the layout's <main> (`as="section"`); on its
 * own (an unknown address, outside every layout but the root) it is the page's only <main>.
 */
export function StatusPage({
  as: Tag,
  lang,
  code,
  title,
  body,
  back,
}: {
  as: 'main' | 'section';
  lang: string;
  code: 403 | 404;
  title: string;
  body: string;
  back: string;
}) {
  return (
    <Tag lang={lang} className="mx-auto max-w-md p-8 text-center" data-status={code}>
      <h1 className="text-2xl font-semibold">
        {code} — {title}
      </h1>
      <p className="mt-2 text-slate-600">{body}</p>
      <Link href="/" className="mt-4 inline-block text-blue-700 hover:underline">
        {back}
      </Link>
    </Tag>
  );
}
