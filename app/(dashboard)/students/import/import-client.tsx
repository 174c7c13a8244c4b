'use client';

import { useEffect, useState, type DragEvent } from 'react';
import { Badge, Table, Td } from '@/components/ui';
import type { RosterImportEvent } from '@/lib/dashboard/roster-import-stream';
import type { RosterImportResult, RosterPreview } from '@/lib/enrollment/roster-plan';
import type { MessageKey } from '@/lib/i18n/dictionary';
import { droppedFiles, type PickedFile } from './dropped-files';
import { photoCounts, unrecognisable } from './photo-counts';

type Messages = Record<MessageKey, string>;
type Phase = 'idle' | 'checking' | 'previewed' | 'importing' | 'done';

const fill = (template: string, params: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
const isPhoto = (name: string) => /\.(jpe?g|png|webp)$/i.test(name);

async function errorMessage(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `Request failed (${res.status})`;
}

/** Roster CSV + photos → preview with per-row problems → confirm → progress → per-row result and its CSV. */
export function RosterImport({ messages: m }: { messages: Messages }) {
  const [roster, setRoster] = useState<File | null>(null);
  const [archive, setArchive] = useState<File | null>(null);
  const [photos, setPhotos] = useState<PickedFile[]>([]);
  const [phase, setPhase] = useState<Phase>('idle');
  const [error, setError] = useState<string>();
  const [preview, setPreview] = useState<RosterPreview | null>(null);
  const [progress, setProgress] = useState({ done: 0, total: 0 });
  const [result, setResult] = useState<RosterImportResult | null>(null);
  const [csvUrl, setCsvUrl] = useState<string | null>(null);
  const [over, setOver] = useState(false);

  useEffect(() => () => (csvUrl ? URL.revokeObjectURL(csvUrl) : undefined), [csvUrl]);

  function changed() {
    setPhase('idle');
    setPreview(null);
    setResult(null);
    setError(undefined);
  }

  function form(mode: 'preview' | 'import'): FormData {
    const f = new FormData();
    f.append('mode', mode);
    if (roster) f.append('roster', roster);
    if (archive) f.append('archive', archive);
    for (const p of photos) f.append('photos', p.file, p.path);
    return f;
  }

  async function check() {
    setPhase('checking');
    setError(undefined);
    const res = await fetch('/api/students/import', { method: 'POST', body: form('preview') }).catch(() => null);
    if (!res || !res.ok) {
      setError(res ? await errorMessage(res) : 'Network error');
      setPhase('idle');
      return;
    }
    setPreview((await res.json()) as RosterPreview);
    setPhase('previewed');
  }

  async function runImport() {
    setPhase('importing');
    setProgress({ done: 0, total: preview?.summary.photos ?? 0 });
    setError(undefined);
    const res = await fetch('/api/students/import', { method: 'POST', body: form('import') }).catch(() => null);
    if (!res || !res.ok || !res.body) {
      setError(res ? await errorMessage(res) : 'Network error');
      setPhase('previewed');
      return;
    }
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    const handle = (event: RosterImportEvent) => {
      if (event.type === 'start') setProgress({ done: 0, total: event.total });
      else if (event.type === 'progress') setProgress({ done: event.done, total: event.total });
      else if (event.type === 'done') {
        setResult(event.result);
        setCsvUrl(URL.createObjectURL(new Blob([event.csv], { type: 'text/csv;charset=utf-8' })));
        setPhase('done');
      } else setError(event.message);
    };
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (value) buffered += value;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) handle(JSON.parse(line) as RosterImportEvent);
      if (done) break;
    }
    setPhase((p) => (p === 'importing' ? 'previewed' : p));
  }

  async function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setOver(false);
    const files = await droppedFiles(e.dataTransfer);
    const csv = files.find((f) => /\.csv$/i.test(f.file.name));
    const zip = files.find((f) => /\.zip$/i.test(f.file.name));
    if (csv) setRoster(csv.file);
    if (zip) setArchive(zip.file);
    const images = files.filter((f) => isPhoto(f.file.name));
    if (images.length > 0) setPhotos(images);
    changed();
  }

  const field = 'block text-sm';
  const busy = phase === 'checking' || phase === 'importing';
  return (
    <div className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-3">
        <label className={field}>
          <span className="mb-1 block font-medium">{m['import.roster']}</span>
          <input
            data-testid="roster-input"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              setRoster(e.target.files?.[0] ?? null);
              changed();
            }}
          />
        </label>
        <label className={field}>
          <span className="mb-1 block font-medium">{m['import.archive']}</span>
          <input
            data-testid="archive-input"
            type="file"
            accept=".zip,application/zip"
            onChange={(e) => {
              setArchive(e.target.files?.[0] ?? null);
              changed();
            }}
          />
        </label>
        <label className={field}>
          <span className="mb-1 block font-medium">{m['import.folder']}</span>
          <input
            data-testid="folder-input"
            type="file"
            multiple
            {...{ webkitdirectory: '' }}
            onChange={(e) => {
              setPhotos(
                [...(e.target.files ?? [])]
                  .filter((f) => isPhoto(f.name))
                  .map((file) => ({ file, path: file.webkitRelativePath || file.name })),
              );
              changed();
            }}
          />
        </label>
      </div>
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => void onDrop(e)}
        className={`rounded-lg border-2 border-dashed p-4 text-center text-sm ${over ? 'border-blue-500 bg-blue-50' : 'border-slate-300 text-slate-500'}`}
      >
        {m['import.drop']}
        {roster || archive || photos.length > 0 ? (
          <p className="mt-1 text-slate-700" data-testid="chosen">
            {[roster?.name, archive?.name, photos.length > 0 ? fill(m['import.chosen'], { n: photos.length }) : null]
              .filter(Boolean)
              .join(' · ')}
          </p>
        ) : null}
      </div>
      <button
        type="button"
        disabled={!roster || busy}
        onClick={() => void check()}
        className="rounded-md bg-blue-600 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50"
      >
        {phase === 'checking' ? m['common.loading'] : m['import.check']}
      </button>
      {error ? (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      ) : null}
      {preview && phase !== 'done' ? <PreviewTable preview={preview} m={m} /> : null}
      {preview && (phase === 'previewed' || phase === 'importing') ? (
        <button
          type="button"
          disabled={busy || preview.summary.toImport === 0}
          onClick={() => void runImport()}
          className="rounded-md bg-green-700 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50"
          data-testid="confirm-import"
        >
          {fill(m['import.confirm'], { n: preview.summary.toImport })}
        </button>
      ) : null}
      {phase === 'importing' || phase === 'done' ? (
        <div className="text-sm">
          <progress
            data-testid="import-progress"
            className="h-3 w-full max-w-md"
            max={Math.max(progress.total, 1)}
            value={phase === 'done' ? Math.max(progress.total, 1) : progress.done}
          />
          <p data-testid="import-progress-text">
            {result
              ? fill(m['import.progressDone'], { ...photoCounts(result), total: progress.total })
              : fill(m['import.progress'], { done: progress.done, total: progress.total })}
          </p>
        </div>
      ) : null}
      {result ? <ResultTable result={result} csvUrl={csvUrl} m={m} /> : null}
    </div>
  );
}

const PHONE_HIDDEN = 'hidden sm:table-cell';

function PreviewTable({ preview, m }: { preview: RosterPreview; m: Messages }) {
  return (
    <section data-testid="import-preview" className="space-y-3">
      <h3 className="font-medium">{m['import.preview']}</h3>
      <p className="text-sm" data-testid="preview-summary">
        {fill(m['import.previewSummary'], preview.summary)}
      </p>
      <Table
        head={[
          m['import.line'],
          m['common.number'],
          m['common.name'],
          m['common.email'],
          m['import.courses'],
          m['import.photos'],
          m['common.status'],
        ]}
        headClass={[PHONE_HIDDEN, undefined, undefined, PHONE_HIDDEN, PHONE_HIDDEN]}
      >
        {preview.rows.map((r) => (
          <tr
            key={r.line}
            data-line={r.line}
            data-problems={r.problems.length}
            className={r.problems.length ? 'bg-red-50' : undefined}
          >
            <Td className={PHONE_HIDDEN}>{r.line}</Td>
            <Td className="wrap-anywhere">{r.studentNumber || '—'}</Td>
            {/* A long name wraps in its cell, so the status stays on the card; a phone shows email and courses under it. */}
            <Td className="min-w-24 wrap-anywhere">
              {r.name || '—'}
              <span className="block text-xs text-slate-500 sm:hidden">
                {m['import.line']} {r.line} · {r.email || '—'} · {r.courses.join(' ') || '—'}
              </span>
            </Td>
            <Td className={`wrap-anywhere ${PHONE_HIDDEN}`}>{r.email || '—'}</Td>
            <Td className={PHONE_HIDDEN}>{r.courses.join(' ') || '—'}</Td>
            <Td>{r.photos.length}</Td>
            <Td>
              {r.problems.length ? (
                <Badge tone="red">{m['import.skipped']}</Badge>
              ) : (
                <Badge tone={r.existing ? 'slate' : 'blue'}>
                  {r.existing ? m['import.existing'] : m['import.new']}
                </Badge>
              )}
              {r.problems.map((p, i) => (
                <p key={i} className="text-red-700">
                  {fill(m[`import.problem.${p.code}` as MessageKey] ?? p.message, p.params)}
                </p>
              ))}
              {r.noPhoto ? <p className="text-amber-700">{m['import.problem.no-photo']}</p> : null}
            </Td>
          </tr>
        ))}
      </Table>
      {preview.files.length > 0 ? (
        <div>
          <h4 className="text-sm font-medium">{m['import.files']}</h4>
          <ul className="text-sm text-amber-800" data-testid="preview-files">
            {preview.files.map((f, i) => (
              <li key={i}>
                {f.file}: {fill(m[`import.file.${f.code}` as MessageKey] ?? f.message, f.params)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

function ResultTable({ result, csvUrl, m }: { result: RosterImportResult; csvUrl: string | null; m: Messages }) {
  const tone = { created: 'green', updated: 'blue', unchanged: 'slate', skipped: 'red' } as const;
  return (
    <section data-testid="import-result" className="space-y-3">
      <h3 className="font-medium">{m['import.result']}</h3>
      <p className="text-sm" data-testid="result-summary">
        {fill(m['import.resultSummary'], result.summary)}
      </p>
      {csvUrl ? (
        <a
          href={csvUrl}
          download="roster-import-result.csv"
          data-testid="result-csv"
          className="inline-block rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100"
        >
          {m['import.downloadCsv']}
        </a>
      ) : null}
      <Table head={[m['import.line'], m['common.number'], m['common.name'], m['common.status'], m['import.photos']]}>
        {result.rows.map((r) => (
          <tr key={r.line} data-line={r.line} data-result={r.result}>
            <Td>{r.line}</Td>
            <Td>{r.studentNumber || '—'}</Td>
            <Td>
              {r.studentId ? (
                <a className="text-blue-700 hover:underline" href={`/students/${r.studentId}`}>
                  {r.name}
                </a>
              ) : (
                r.name || '—'
              )}
            </Td>
            <Td>
              <Badge tone={unrecognisable(r) ? 'amber' : tone[r.result]}>{m[`import.result.${r.result}`]}</Badge>
              {unrecognisable(r) ? (
                <p className="text-amber-700" data-testid="no-accepted-photo">
                  {m['import.noAcceptedPhoto']}
                </p>
              ) : null}
              {(r.issues.length
                ? r.issues.map((p) => fill(m[`import.problem.${p.code}` as MessageKey] ?? p.message, p.params))
                : r.problems
              ).map((p, i) => (
                <p key={i} className="text-red-700">
                  {p}
                </p>
              ))}
            </Td>
            <Td>
              {r.photosAdded ? <p>{fill(m['import.photosAdded'], { n: r.photosAdded })}</p> : null}
              {r.photosKnown ? (
                <p className="text-slate-500">{fill(m['import.photosKnown'], { n: r.photosKnown })}</p>
              ) : null}
              {r.rejected.map((x, i) => (
                <p key={i} className="text-red-700" data-testid="photo-rejected">
                  {m['import.photoRejected']}: {x.file} — {x.reason}
                </p>
              ))}
            </Td>
          </tr>
        ))}
      </Table>
    </section>
  );
}
