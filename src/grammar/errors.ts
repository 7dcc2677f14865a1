/** A grammar file that cannot be used: names the file and the path inside it. */
export class GrammarError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    detail: string,
  ) {
    super(`${file}: ${path || '/'}: ${detail}`);
    this.name = 'GrammarError';
  }
}
