/** Running a display filter or a search over the packets without freezing the screen. */
/** Time spent testing packets before the event loop gets a turn to read keys. */
const SLICE_MS = 30;
/** Progress is redrawn less often than that: a redraw costs as much as testing many packets. */
const PROGRESS_MS = 250;

/**
 * Calls `test` for 0..count-1 in time slices until it returns true, then `done` with where it
 * stopped (count if it never did), and `progress` between slices. Returns a function that cancels the run.
 */
function sliced(count: number, test: (index: number) => boolean, progress: (done: number) => void, done: (stop: number) => void): () => void {
  let next = 0;
  let reported = performance.now();
  let timer: NodeJS.Immediate;
  const slice = () => {
    const deadline = performance.now() + SLICE_MS;
    while (next < count && performance.now() < deadline) if (test(next++)) return done(next - 1);
    if (next === count) return done(count);
    if (performance.now() - reported > PROGRESS_MS) {
      reported = performance.now();
      progress(next / count);
    }
    timer = setImmediate(slice);
  };
  timer = setImmediate(slice);
  return () => clearImmediate(timer);
}

/** Tests frames 0..count-1, reporting progress between slices and the matching indices at the end. */
export function runFilter(count: number, matches: (index: number) => boolean, progress: (done: number) => void, done: (shown: number[]) => void): () => void {
  const shown: number[] = [];
  return sliced(
    count,
    (i) => (matches(i) && shown.push(i), false),
    progress,
    () => done(shown),
  );
}

/** The first of 0..count-1 that matches, or undefined. */
export function runFind(count: number, matches: (index: number) => boolean, done: (found: number | undefined) => void): () => void {
  return sliced(
    count,
    matches,
    () => {},
    (stop) => done(stop < count ? stop : undefined),
  );
}
