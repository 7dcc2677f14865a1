/** `mtcgk FILE` on a terminal: a termshark-style browser of the packets, their details tree and bytes, and the flow's ladder (L). */
import { openSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import { render } from 'ink';
import { App, type AppProps } from './App.js';

export type { AppProps } from './App.js';

const ALTERNATE_SCREEN = '\x1b[?1049h';
const MAIN_SCREEN = '\x1b[?1049l';

/** Runs until the user quits; resolves to the exit status. Keys come from /dev/tty when stdin carries the data. */
export async function runTui({ stdin: given, ...props }: AppProps & { stdin?: NodeJS.ReadStream }): Promise<number> {
  const tty = given || process.stdin.isTTY ? undefined : new ReadStream(openSync('/dev/tty', 'r'));
  const stdin = given ?? tty ?? process.stdin;
  process.stdout.write(ALTERNATE_SCREEN);
  try {
    const app = render(<App {...props} />, { stdin });
    await app.waitUntilExit();
    return 0;
  } finally {
    process.stdout.write(MAIN_SCREEN);
    tty?.destroy();
  }
}
