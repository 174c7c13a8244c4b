'use client';

import { useState } from 'react';
import { callApi } from '@/components/forms/api';
import type { MessageKey } from '@/lib/i18n/dictionary';

type Result =
  | {
      ok: true;
      image: string;
      width: number;
      height: number;
      faces: Array<{ width: number }>;
      report: {
        verdict: 'none' | 'ok' | 'mixed' | 'small';
        faces: number;
        minWidth: number | null;
        maxWidth: number | null;
        belowReliable: number;
        minFaceSize: number;
        reliablePx: number;
      };
      elapsedMs: number;
      held: { state: string } | null;
    }
  | {
      ok: false;
      error: { kind: string; detail: string; httpStatus?: number };
      elapsedMs: number;
      held: { state: string } | null;
    };

const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));

/** "Test connection": the worker fetches one frame; shown with face boxes, their widths and whether they are big enough. */
export function TestConnection({ cameraId, messages }: { cameraId: string; messages: Record<MessageKey, string> }) {
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<Result>();
  const [error, setError] = useState<string>();

  async function run() {
    setPending(true);
    setError(undefined);
    setResult(undefined);
    const r = await callApi<Result>('POST', `/api/cameras/${cameraId}/test`);
    setPending(false);
    if (r.ok) setResult(r.data);
    else setError(r.message);
  }

  let words: string | undefined;
  if (result?.ok) {
    const rep = result.report;
    const range = rep.minWidth === rep.maxWidth ? `${rep.maxWidth} px` : `${rep.minWidth}–${rep.maxWidth} px`;
    words = fill(messages[`cameras.faces.${rep.verdict}` as MessageKey], {
      n: rep.faces,
      range,
      below: rep.belowReliable,
      min: rep.minFaceSize,
      reliable: rep.reliablePx,
    });
  } else if (result) {
    words = `${messages[`cameraError.${result.error.kind}` as MessageKey] ?? messages['cameraError.other']}${result.error.httpStatus ? ` (HTTP ${result.error.httpStatus})` : ''}`;
  }
  return (
    <div className="text-xs" data-testid="camera-test">
      <button
        type="button"
        onClick={run}
        disabled={pending}
        className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-100 disabled:opacity-60"
      >
        {pending ? messages['cameras.testing'] : messages['cameras.testConnection']}
      </button>
      {error ? (
        <p role="alert" className="mt-1 text-red-600">
          {error}
        </p>
      ) : null}
      {result ? (
        <div
          className="mt-2 max-w-md space-y-1"
          data-testid="camera-test-result"
          data-ok={String(result.ok)}
          data-verdict={result.ok ? result.report.verdict : result.error.kind}
          data-held={result.held ? result.held.state : 'no'}
        >
          {result.held ? (
            <p className="text-slate-500" data-testid="camera-test-held">
              {fill(messages['cameras.testHeld'], { state: result.held.state })}
            </p>
          ) : null}
          {result.ok ? (
            <>
              {/* A data: URL: the frame exists only in this answer, never stored. */}
              <img
                src={result.image}
                alt={messages['cameras.testConnection']}
                width={result.width}
                height={result.height}
                className="h-auto w-full rounded border border-slate-200"
                data-testid="camera-test-image"
              />
              <p
                className={result.report.verdict === 'ok' ? 'text-green-800' : 'text-amber-800'}
                data-testid="camera-test-words"
              >
                {words}
              </p>
              {result.faces.length > 0 ? (
                <p className="text-slate-500" data-testid="camera-test-widths">
                  {result.faces.map((f) => `${f.width} px`).join(' · ')} · {result.width}×{result.height} ·{' '}
                  {result.elapsedMs} ms
                </p>
              ) : null}
            </>
          ) : (
            <>
              <p className="text-red-700" data-testid="camera-test-words">
                {words}
              </p>
              <p className="break-all text-slate-500">
                {result.error.detail} · {result.elapsedMs} ms
              </p>
            </>
          )}
        </div>
      ) : null}
    </div>
  );
}
