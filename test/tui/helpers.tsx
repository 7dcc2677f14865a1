/** Shared set-up for the TUI tests: the sample capture, an App under ink-testing-library, and polling. */
import { readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { dissectFull } from '../../src/index.js';
import { defaultGrammar } from '../../src/grammar/load.js';
import { readFrames, type Frame } from '../../src/io/index.js';
import { mergeKeys, parseKeys } from '../../src/security/keys.js';
import { OrderedDissection } from '../../src/security/ordered.js';
import { SecuritySession } from '../../src/security/session.js';
import { App, type AppProps } from '../../src/tui/App.js';

export const SAMPLES = 'test/fixtures/tui/samples.txt';

export const KEY = {
  down: '\u001B[B',
  up: '\u001B[A',
  right: '\u001B[C',
  left: '\u001B[D',
  pageDown: '\u001B[6~',
  tab: '\t',
  shiftTab: '\u001B[Z',
  enter: '\r',
  escape: '\u001B',
  backspace: '\u007F',
};

export const sampleFrames = (): Frame[] => readFrames(readFileSync(SAMPLES), { source: SAMPLES });

/** A capture of src/flows (captures/flows/NAME), with its keys and the dissection `mtcgk FILE --keys` browses it with. */
export function flowCapture(name: string) {
  const file = `captures/flows/${name}/flow.pcapng`;
  const keysFile = `captures/flows/${name}/keys.json`;
  const frames = readFrames(readFileSync(file), { source: file });
  const keys = mergeKeys([parseKeys(readFileSync(keysFile, 'utf8'), keysFile)]);
  const ordered = new OrderedDissection(frames, 'nas-eps', () => new SecuritySession(keys));
  return { file, keysFile, frames, keys, dissect: (f: Frame) => ordered.dissect(f) };
}

const ir = defaultGrammar();
export const catalogue = { has: (name: string) => ir.fields.has(name) || ir.protocols.has(name) };

export function renderApp(props: Partial<AppProps> = {}) {
  const app = render(<App frames={sampleFrames()} title="samples.txt" dissect={(f) => dissectFull(f.bytes, f.protocol ?? 'nas-eps')} catalogue={catalogue} {...props} />);
  const text = () => stripVTControlCharacters(app.lastFrame() ?? '');
  return {
    app,
    text,
    /** Writes each chunk as its own read, with a pause between them as a typist would leave. */
    async press(...chunks: string[]) {
      for (const c of chunks) {
        app.stdin.write(c);
        await new Promise((r) => setTimeout(r, 30));
      }
    },
    /** Resolves once the screen satisfies `ok` (dissecting a new kind of message can take a while when cold). */
    async until(ok: (screen: string, raw: string) => boolean, what: string, ms = 3000) {
      const end = Date.now() + ms;
      while (!ok(text(), app.lastFrame() ?? '')) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen:\n${text()}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

/** The screen line that contains `needle`. */
export const lineWith = (screen: string, needle: string): string => screen.split('\n').find((l) => l.includes(needle)) ?? '';
