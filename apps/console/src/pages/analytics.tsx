import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ChartConfiguration } from 'chart.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Analytics } from '../../../gateway/src/admin/analytics/dto/analytics.dto';
import { api, query } from '../api';
import { CHANNEL_LABELS, percent } from '../format';
import { linkTo } from '../router';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

// Colour-blind-safe (Okabe–Ito), each with enough contrast on white.
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];
const DAY_MS = 86_400_000;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

function seconds(value: number | null): string {
  if (value === null) return '—';
  if (value < 90) return `${Math.round(value)} s`;
  if (value < 5400) return `${Math.round(value / 60)} min`;
  return `${Math.round(value / 360) / 10} h`;
}

export function AnalyticsPage() {
  const [from, setFrom] = useState(isoDay(new Date(Date.now() - 29 * DAY_MS)));
  const [to, setTo] = useState(isoDay(new Date()));
  const [data, setData] = useState<Analytics | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    // `to` is exclusive in the API: the whole last day is included.
    const end = new Date(new Date(`${to}T00:00:00Z`).getTime() + DAY_MS).toISOString();
    api<Analytics>(`/analytics${query({ from: new Date(`${from}T00:00:00Z`).toISOString(), to: end })}`).then(
      (d) => {
        setData(d);
        setError(null);
      },
      (err: Error) => setError(err.message),
    );
  }, [from, to]);

  const days = data ? daysOf(data) : [];
  const channels = data ? [...new Set(data.volume.map((v) => v.channel))].sort() : [];

  return (
    <div class="analytics">
      <h1>Analytics</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Period">
        <label>From <input type="date" value={from} max={to} onChange={(e) => e.currentTarget.value && setFrom(e.currentTarget.value)} /></label>
        <label>To <input type="date" value={to} min={from} onChange={(e) => e.currentTarget.value && setTo(e.currentTarget.value)} /></label>
        <button type="button" class="secondary" disabled={!data} onClick={() => data && downloadCsv(data)}>Export CSV</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {data && (
        <>
          <dl class="cards" data-analytics-cards>
            <Card label="Conversations" value={String(data.conversations)} name="conversations" />
            <Card label="Resolved by the bot" value={percent(data.automatedResolution.rate)} note={`${data.automatedResolution.confirmed} confirmed, ${data.automatedResolution.assumed} assumed`} name="automated-rate" />
            <Card label="Handed off" value={percent(data.handoff.rate)} note={`${data.handoff.conversations} conversations`} name="handoff-rate" />
            <Card label="First response (median)" value={seconds(data.firstResponseSeconds.p50)} note={`95th percentile ${seconds(data.firstResponseSeconds.p95)}`} name="first-response" />
            <Card label="Satisfaction" value={data.csat.average === null ? '—' : `${data.csat.average.toFixed(1)} / 5`} note={`${data.csat.responses} ratings`} name="csat" />
          </dl>
          <BarChart
            title="Messages by channel and day"
            name="volume"
            config={{
              type: 'bar',
              data: {
                labels: days,
                datasets: channels.map((channel, i) => ({
                  label: CHANNEL_LABELS[channel] ?? channel,
                  data: days.map((day) => data.volume.find((v) => v.day === day && v.channel === channel)?.messages ?? 0),
                  backgroundColor: COLOURS[i % COLOURS.length],
                  maxBarThickness: 48,
                })),
              },
              options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
            }}
            table={{ head: ['Day', ...channels.map((c) => CHANNEL_LABELS[c] ?? c)], rows: days.map((day) => [day, ...channels.map((c) => data.volume.find((v) => v.day === day && v.channel === c)?.messages ?? 0)]) }}
          />
          <BarChart
            title="Top intents"
            name="intents"
            config={{
              type: 'bar',
              data: { labels: data.topIntents.map((t) => t.intent), datasets: [{ label: 'Conversations', data: data.topIntents.map((t) => t.conversations), backgroundColor: COLOURS[0], maxBarThickness: 36 }] },
              options: { indexAxis: 'y', responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
            }}
            table={{ head: ['Intent', 'Conversations'], rows: data.topIntents.map((t) => [t.intent, t.conversations]) }}
          />
          <section aria-labelledby="unanswered-title">
            <h2 id="unanswered-title">Unanswered questions</h2>
            {data.unanswered.length === 0 ? (
              <p class="muted">None in this period.</p>
            ) : (
              <ul class="unanswered">
                {data.unanswered.map((u) => (
                  <li key={u.conversationId + String(u.at)}><a {...linkTo(`/inbox/${u.conversationId}`)}>{u.text}</a></li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </div>
  );
}

/** Every day of the period, so that quiet days show as gaps rather than vanish. */
function daysOf(data: Analytics): string[] {
  const days = new Set(data.volume.map((v) => v.day));
  const last = new Date(data.period.to).getTime() - 1;
  for (let at = new Date(`${data.period.from.slice(0, 10)}T00:00:00Z`).getTime(); at <= last && days.size < 400; at += DAY_MS) days.add(isoDay(new Date(at)));
  return [...days].sort();
}

function Card({ label, value, note, name }: { label: string; value: string; note?: string; name: string }) {
  return (
    <div class="card" data-card={name}>
      <dt>{label}</dt>
      <dd><span class="big">{value}</span>{note && <span class="muted"> {note}</span>}</dd>
    </div>
  );
}

/** A Chart.js bar chart with the same numbers as a table (for screen readers, and to copy). */
function BarChart({ title, name, config, table }: { title: string; name: string; config: ChartConfiguration<'bar'>; table: { head: string[]; rows: (string | number)[][] } }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const total = table.rows.reduce((sum, row) => sum + row.slice(1).reduce<number>((s, v) => s + Number(v), 0), 0);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [JSON.stringify(config.data)]);
  return (
    <figure class="chart" data-chart={name} data-chart-total={total}>
      <figcaption><h2>{title}</h2></figcaption>
      {table.rows.length === 0 ? (
        <p class="muted">No data in this period.</p>
      ) : (
        <div class="chart-box">
          <canvas ref={canvas} role="img" aria-label={`${title}: ${total} in total; the table below has every number`} />
        </div>
      )}
      <details>
        <summary>Show the numbers</summary>
        <table>
          <thead><tr>{table.head.map((h) => <th key={h} scope="col">{h}</th>)}</tr></thead>
          <tbody>{table.rows.map((row, i) => <tr key={i}>{row.map((cell, j) => (j === 0 ? <th key={j} scope="row">{cell}</th> : <td key={j}>{cell}</td>))}</tr>)}</tbody>
        </table>
      </details>
    </figure>
  );
}

/** The report as CSV: one section per table, the same numbers the API returned. */
function downloadCsv(data: Analytics): void {
  const cell = (value: unknown) => {
    const text = value === null || value === undefined ? '' : String(value);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines: unknown[][] = [
    ['metric', 'value'],
    ['from', data.period.from],
    ['to', data.period.to],
    ['conversations', data.conversations],
    ['automated_resolution_confirmed', data.automatedResolution.confirmed],
    ['automated_resolution_assumed', data.automatedResolution.assumed],
    ['automated_resolution_rate', data.automatedResolution.rate],
    ['handoff_conversations', data.handoff.conversations],
    ['handoff_rate', data.handoff.rate],
    ['first_response_p50_seconds', data.firstResponseSeconds.p50],
    ['first_response_p95_seconds', data.firstResponseSeconds.p95],
    ['csat_responses', data.csat.responses],
    ['csat_average', data.csat.average],
    [],
    ['day', 'channel', 'messages'],
    ...data.volume.map((v) => [v.day, v.channel, v.messages]),
    [],
    ['intent', 'conversations'],
    ...data.topIntents.map((t) => [t.intent, t.conversations]),
  ];
  const blob = new Blob([lines.map((line) => line.map(cell).join(',')).join('\n') + '\n'], { type: 'text/csv' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `analytics-${data.period.from.slice(0, 10)}-${data.period.to.slice(0, 10)}.csv`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
