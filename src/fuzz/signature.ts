/** Finding signatures of JS errors: the error's type and its top stack frames, without directories. */

/** Frames of the fuzzer itself and of Node's internals say nothing about the target. */
const OWN = /\/fuzz\/(js-worker|channel)\.[jt]s|node:internal|^\s*at (async )?<anonymous>$/;

/** `TypeError@parse (parser.mjs:12)<check (parser.mjs:30)`: the error's name and up to three frames. */
export function errorSignature(e: unknown, frames = 3): string {
  if (!(e instanceof Error)) return `throw:${typeof e}`;
  const stack = (e.stack ?? '').split('\n').filter((l) => /^\s*at /.test(l) && !OWN.test(l));
  const top = stack.slice(0, frames).map((l) =>
    l
      .trim()
      .replace(/^at /, '')
      .replace(/(?:file:\/\/)?[^\s()]*[/\\]([^/\\\s()]+?):(\d+):\d+/, '$1:$2'),
  );
  return `${e.name}@${top.join('<')}`;
}
