/**
 * A progress line on stderr for long runs (Node only): frames, bytes read (of the file size when
 * known) and rate, redrawn in place at most a few times a second, starting after a second, and
 * only when stderr is a terminal. done() erases it.
 */
export class Progress {
  private started = Date.now();
  private drawn = 0;
  private shown = false;

  constructor(
    private readonly total: number | undefined,
    private readonly write: (s: string) => void = (s) => void process.stderr.write(s),
    /** Milliseconds before the first line. */
    private readonly delay = 1000,
  ) {}

  /** Draws on stderr when it is a terminal, otherwise nothing. */
  static forStderr(total: number | undefined): Progress | undefined {
    return process.stderr.isTTY ? new Progress(total) : undefined;
  }

  update(frames: number, bytes?: number): void {
    const now = Date.now();
    if (now - this.started < this.delay || now - this.drawn < 200) return;
    this.drawn = now;
    const secs = (now - this.started) / 1000;
    const mb = (n: number) => (n / 1e6).toFixed(1);
    let text = `mtcgk: ${frames} frames`;
    if (bytes !== undefined) text += `, ${mb(bytes)}${this.total ? `/${mb(this.total)} MB (${Math.min(100, (100 * bytes) / this.total).toFixed(0)}%)` : ' MB'}`;
    text += `, ${Math.round(frames / Math.max(secs, 1e-3))} frames/s`;
    this.write(`\r${text}\x1b[K`);
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.write('\r\x1b[K');
    this.shown = false;
  }
}
