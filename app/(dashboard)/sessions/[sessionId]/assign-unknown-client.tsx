'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { callApi } from '@/components/forms/api';
import type { RosterStudent } from '@/lib/data/live-attendance';

interface Props {
  unknownId: string;
  roster: RosterStudent[];
  labels: { thisIs: string; choose: string; alsoPresent: string };
}

/** "This is <student>" for one unknown face: pick an enrolled student, optionally mark them present. */
export function AssignUnknown({ unknownId, roster, labels }: Props) {
  const router = useRouter();
  const [studentId, setStudentId] = useState('');
  const [present, setPresent] = useState(true);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();

  async function submit() {
    setPending(true);
    setError(undefined);
    const res = await callApi('POST', `/api/unknown-faces/${unknownId}/assign`, {
      studentId,
      recordAttendance: present,
    });
    setPending(false);
    if (res.ok) router.refresh();
    else setError(res.message);
  }

  return (
    <div className="flex flex-col gap-1 text-sm">
      <select
        aria-label={labels.choose}
        value={studentId}
        onChange={(e) => setStudentId(e.target.value)}
        className="rounded-md border border-slate-300 px-2 py-1"
      >
        <option value="">{labels.choose}</option>
        {roster.map((s) => (
          <option key={s.studentId} value={s.studentId}>
            {s.name}
            {s.studentNumber ? ` (${s.studentNumber})` : ''}
          </option>
        ))}
      </select>
      <label className="flex items-center gap-1">
        <input type="checkbox" checked={present} onChange={(e) => setPresent(e.target.checked)} />
        {labels.alsoPresent}
      </label>
      <button
        type="button"
        disabled={!studentId || pending}
        onClick={() => void submit()}
        className="rounded-md bg-blue-600 px-2 py-1 text-white hover:bg-blue-700 disabled:opacity-50"
      >
        {labels.thisIs}
      </button>
      {error ? (
        <p role="alert" className="text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
