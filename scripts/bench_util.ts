/** Medians and timing loops shared by the bench scripts. */

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Median wall time of `runs` calls of fn, in ms. */
export function timeIt(fn: () => unknown, runs = 200): number {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

/** Median wall time of `runs` awaited calls of fn, in ms. */
export async function timeAsync(fn: () => Promise<unknown>, runs: number): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}
