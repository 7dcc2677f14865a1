/** Cuts or pads text to exactly `width` columns (panes draw whole lines so highlights span the width). */
export function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text.padEnd(width);
}
