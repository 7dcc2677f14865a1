/** Running a display filter over every packet without freezing the screen. */
/** Time spent testing packets before the event loop gets a turn to read keys. */
const SLICE_MS = 30;
/** Progress is redrawn less often than that: a redraw costs as much as testing many packets. */
const PROGRESS_MS = 250;

/**
 * Tests frames 0..count-1 in time slices, reporting progress between slices and the matching indices
 * at the end. Returns a function that cancels the run.
 */
export function runFilter(count: number, matches: (index: number) => boolean, progress: (done: number) => void, done: (shown: number[]) => void): () => void {
  const shown: number[] = [];
  let next = 0;
  let reported = performance.now();
  let timer: NodeJS.Immediate;
  const slice = () => {
    const deadline = performance.now() + SLICE_MS;
    while (next < count && performance.now() < deadline) if (matches(next++)) shown.push(next - 1);
    if (next === count) return done(shown);
    if (performance.now() - reported > PROGRESS_MS) {
      reported = performance.now();
      progress(next / count);
    }
    timer = setImmediate(slice);
  };
  timer = setImmediate(slice);
  return () => clearImmediate(timer);
}
