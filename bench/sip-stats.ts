/**
 * Figures for the SIP benchmark (bench/sip.ts): percentiles by the nearest-rank method, so
 * that p99 of 200 samples is the second-largest one, and the table cells they are printed in.
 */

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export interface Summary {
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
  };
}

export const ms = (value: number, digits = 2) => `${value.toFixed(digits)} ms`;
export const seconds = (valueMs: number) => `${(valueMs / 1000).toFixed(2)} s`;
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
export const met = (ok: boolean) => (ok ? 'met' : 'MISSED');

/** The machine's clock in ms, as the page reads it too (`performance.timeOrigin + now()`). */
export const now = () => performance.timeOrigin + performance.now();

/** A markdown table: a header row, its rule, then the rows. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
