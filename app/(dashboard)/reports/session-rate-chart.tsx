'use client';

import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export type RatePoint = { sessionId: string; label: string; rate: number | null };

/** Attendance rate of each session over the term, in session order (one point per session). */
export function SessionRateChart({ points, title }: { points: RatePoint[]; title: string }) {
  const data = points.map((p) => ({ ...p, percent: p.rate === null ? null : Math.round(p.rate * 1000) / 10 }));
  return (
    <figure className="h-64 w-full" data-testid="session-rate-chart" aria-label={title}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis
            dataKey="label"
            tick={{ fontSize: 11 }}
            minTickGap={16}
            interval="preserveStartEnd"
            padding={{ left: 40, right: 40 }}
          />
          <YAxis domain={[0, 100]} unit="%" width={48} />
          <Tooltip formatter={(v) => [`${String(v)} %`, title]} />
          <Line
            type="monotone"
            dataKey="percent"
            stroke="#2563eb"
            strokeWidth={2}
            dot={{ r: 3 }}
            connectNulls
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
      <ul className="sr-only">
        {data.map((d) => (
          <li key={d.sessionId}>
            {d.label}: {d.percent === null ? '—' : `${d.percent} %`}
          </li>
        ))}
      </ul>
    </figure>
  );
}
