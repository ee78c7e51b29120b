// Hand-written charts (a chart library would cost ~22 KB gzip of an 80 KB budget and does not draw
// categorical bars): columns over days in SVG, and bar tables whose rows carry their numbers as text.
import { useEffect, useRef, useState } from "preact/hooks";

/** 1, 2, 5 × 10^n: a round step that splits `max` into at most `n` bands (whole for counts). */
export function niceStep(max: number, n = 4, whole = true): number {
  if (max <= 0) return 1;
  const raw = max / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  const step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
  return whole ? Math.max(1, step) : step;
}

/** The element's width in CSS pixels, following resizes: charts draw in real pixels, so text is not stretched. */
function useWidth(initial: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [w, setW] = useState(initial);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => el.clientWidth && setW(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return { ref, w };
}

const H = 180;
const PAD = { l: 34, r: 8, t: 10, b: 26 };

/**
 * Columns, one per point (e.g. done per day), with round gridlines. The SVG is an image with a one-line
 * summary; the numbers are also in a table for screen readers and on "Show table".
 */
export function ColumnChart({ title, points, unit }: {
  title: string;
  points: { x: string; label: string; y: number }[];
  unit: string;
}) {
  const { ref, w: W } = useWidth(640);
  const max = Math.max(0, ...points.map((p) => p.y));
  const step = niceStep(max);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const bw = iw / Math.max(1, points.length);
  const y = (v: number) => PAD.t + ih - (v / top) * ih;
  const every = Math.ceil(points.length / Math.max(1, Math.floor(iw / 56)));
  const sum = points.reduce((a, p) => a + p.y, 0);
  const best = points.reduce((a, p) => (p.y > a.y ? p : a), points[0] ?? { x: "", label: "", y: 0 });
  const summary = points.length
    ? `${title}: ${sum} ${unit} over ${points.length} days, most on ${best.label} (${best.y})`
    : `${title}: no data`;
  const grid = [];
  for (let v = 0; v <= top; v += step) grid.push(v);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div ref={ref} class="chart-box">
        <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
          {grid.map((v) => (
            <g key={v} class="grid">
              <line x1={PAD.l} x2={W - PAD.r} y1={y(v)} y2={y(v)} />
              <text x={PAD.l - 6} y={y(v) + 4} text-anchor="end">{v}</text>
            </g>
          ))}
          {points.map((p, i) => (
            <g key={p.x}>
              <rect
                class="col"
                x={PAD.l + i * bw + bw * 0.15}
                width={bw * 0.7}
                y={y(p.y)}
                height={Math.max(0, PAD.t + ih - y(p.y))}
              >
                <title>{`${p.label}: ${p.y} ${unit}`}</title>
              </rect>
              {i % every === 0 && (
                <text class="xl" x={PAD.l + i * bw + bw / 2} y={H - 8} text-anchor="middle">{p.label}</text>
              )}
            </g>
          ))}
        </svg>
      </div>
      <ChartTable head={["Day", unit]} rows={points.map((p) => [p.label, String(p.y)])} />
    </figure>
  );
}

/** The numbers behind a chart, folded away for sighted readers and always there for screen readers. */
function ChartTable({ head, rows }: { head: string[]; rows: string[][] }) {
  return (
    <details class="chart-table">
      <summary class="muted small">Show table</summary>
      <table class="table compact">
        <thead>
          <tr>{head.map((h) => <th key={h}>{h}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((r) => <tr key={r[0]}>{r.map((c, i) => <td key={i}>{c}</td>)}</tr>)}
        </tbody>
      </table>
    </details>
  );
}

export interface BarRow {
  key: string;
  value: number | null;
  /** A second, larger value drawn as a whisker past the bar (p90 after a median). */
  whisker?: number | null;
}

/**
 * Horizontal bars as a table: each row names its key and prints its value beside the bar, so the
 * chart reads the same without the bars.
 */
export function BarTable({ title, rows, fmt, valueHead, whiskerHead }: {
  title: string;
  rows: BarRow[];
  fmt: (v: number | null) => string;
  valueHead: string;
  whiskerHead?: string;
}) {
  const max = Math.max(0, ...rows.flatMap((r) => [r.value ?? 0, r.whisker ?? 0]));
  const pct = (v: number | null | undefined) => (max > 0 && v ? (v / max) * 100 : 0);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      {rows.length === 0
        ? <p class="muted small">No data in this window.</p>
        : (
          <table class="bar-table" aria-label={title}>
            <thead class="sr-only">
              <tr>
                <th>Agent</th>
                <th>{valueHead}</th>
                {whiskerHead && <th>{whiskerHead}</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key}>
                  <th scope="row" class="mono">{r.key}</th>
                  <td class="bar-cell">
                    <span class="track" aria-hidden="true">
                      {r.whisker != null && <span class="whisker" style={{ width: `${pct(r.whisker)}%` }} />}
                      <span class="bar" style={{ width: `${pct(r.value)}%` }} />
                    </span>
                    <span class="val">{fmt(r.value)}</span>
                  </td>
                  {whiskerHead && <td class="val muted">{fmt(r.whisker ?? null)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </figure>
  );
}
