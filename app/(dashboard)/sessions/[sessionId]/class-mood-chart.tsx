'use client';

import { Bar, BarChart, Cell, LabelList, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { MoodCounts } from '@/lib/data/session-mood';

const COLOURS: Record<keyof MoodCounts, string> = {
  happy: '#16a34a',
  neutral: '#64748b',
  tired: '#d97706',
  other: '#a855f7',
};

/** The session's class mood as one small bar chart of shares (counts in the labels). */
export function ClassMoodChart({ counts, labels }: { counts: MoodCounts; labels: Record<keyof MoodCounts, string> }) {
  const total = counts.happy + counts.neutral + counts.tired + counts.other;
  const data = (Object.keys(COLOURS) as Array<keyof MoodCounts>).map((k) => ({
    key: k,
    name: labels[k],
    share: total ? Math.round((100 * counts[k]) / total) : 0,
    count: counts[k],
  }));
  return (
    <div className="h-44 w-full max-w-xl" data-testid="class-mood-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ left: 8, right: 48 }}>
          <XAxis type="number" domain={[0, 100]} unit="%" />
          <YAxis type="category" dataKey="name" width={150} />
          <Bar dataKey="share" isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.key} fill={COLOURS[d.key]} />
            ))}
            <LabelList dataKey="share" position="right" formatter={(v) => `${String(v)} %`} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <ul className="sr-only">
        {data.map((d) => (
          <li key={d.key}>
            {d.name}: {d.share} % ({d.count})
          </li>
        ))}
      </ul>
    </div>
  );
}
