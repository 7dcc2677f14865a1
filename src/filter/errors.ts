/** A filter that does not compile; `column` is the 0-based offset of the offending token in the filter text. */
export class FilterError extends Error {
  override readonly name = 'FilterError';
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

/** Quotes text for a one-line message (a string token may span lines). */
export const quote = (text: string): string => JSON.stringify(text);
