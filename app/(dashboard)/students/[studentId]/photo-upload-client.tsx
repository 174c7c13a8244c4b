'use client';

import { useRouter } from 'next/navigation';
import { useState, type DragEvent } from 'react';
import { callApi } from '@/components/forms/api';
import type { MessageKey } from '@/lib/i18n/dictionary';
import { PhotoThumb, type Box } from './photo-thumb';

type Verdict = {
  filename: string;
  status: 'accepted' | 'rejected';
  reason?: string;
  code?: string;
  box?: Box;
  /** An accepted photo that does not look like the student's other photos. */
  warning?: { code: string; message: string };
  preview: string | null;
};

const isImage = (f: File) => f.type.startsWith('image/') || /\.(jpe?g|png|webp)$/i.test(f.name);

/** Drag-and-drop (or choose) several photos; shows each photo's verdict with its face box. */
export function PhotoUpload({ url, messages }: { url: string; messages: Record<MessageKey, string> }) {
  const router = useRouter();
  const [over, setOver] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const [verdicts, setVerdicts] = useState<Verdict[]>([]);

  async function upload(files: File[]) {
    const images = files.filter(isImage);
    // Files that are not photos get their verdict here and are never sent.
    const notImages: Verdict[] = files
      .filter((f) => !isImage(f))
      .map((f) => ({
        filename: f.name,
        status: 'rejected',
        code: 'not-an-image',
        reason: messages['students.notAnImage'],
        preview: null,
      }));
    setVerdicts(notImages);
    if (images.length === 0) return;
    const form = new FormData();
    for (const f of images) form.append('photos', f);
    setPending(true);
    setError(undefined);
    const result = await callApi<{ results: Omit<Verdict, 'preview'>[] }>('POST', url, form);
    setPending(false);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    setVerdicts([
      ...result.data.results.map((r, i) => ({ ...r, preview: URL.createObjectURL(images[i]!) })),
      ...notImages,
    ]);
    router.refresh();
  }

  function onDrop(e: DragEvent<HTMLLabelElement>) {
    e.preventDefault();
    setOver(false);
    void upload([...e.dataTransfer.files]);
  }

  return (
    <div>
      <label
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        className={`flex cursor-pointer flex-col items-center justify-center rounded-lg border-2 border-dashed p-6 text-sm ${over ? 'border-blue-500 bg-blue-50' : 'border-slate-300'}`}
      >
        <span>{pending ? messages['common.loading'] : messages['students.dropHint']}</span>
        <input
          data-testid="photo-input"
          type="file"
          accept="image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp"
          multiple
          className="sr-only"
          onChange={(e) => void upload([...(e.target.files ?? [])])}
        />
      </label>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-600">
          {error}
        </p>
      ) : null}
      {verdicts.length > 0 ? (
        <ul className="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="verdicts" aria-live="polite">
          {verdicts.map((v, i) => (
            <li
              key={i}
              className={`rounded-md border p-2 text-xs ${v.warning ? 'border-amber-400' : 'border-slate-200'}`}
              data-status={v.status}
              data-warning={v.warning?.code}
            >
              {v.preview ? <PhotoThumb src={v.preview} box={v.box ?? null} accepted={v.status === 'accepted'} /> : null}
              <p className="mt-1 truncate font-medium">{v.filename}</p>
              <p className={v.status === 'accepted' ? 'text-green-700' : 'text-red-700'}>
                {v.status === 'accepted'
                  ? messages['students.accepted']
                  : `${messages['students.rejected']}: ${v.reason ?? v.code}`}
              </p>
              {v.warning ? <p className="mt-1 text-amber-800">{v.warning.message}</p> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
