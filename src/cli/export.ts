/** `mtcgk export lua [--out F.lua]`: the Wireshark Lua dissector generated from the grammars. */
import { writeOutputFile } from '../io/output-file.js';
import { UsageError } from './args.js';
import { luaDissector } from '../export/lua.js';

export const EXPORT_USAGE = 'Usage: mtcgk export lua [--out F.lua]   (Wireshark Lua dissector for gmsg and the NAS group key IEs; stdout without --out)';

export function runExport(argv: string[], out: (s: string) => void): void {
  const [what, ...rest] = argv;
  if (what === undefined || what === '-h' || what === '--help') return out(EXPORT_USAGE);
  if (what !== 'lua') throw new UsageError(`export takes lua\n${EXPORT_USAGE}`);
  let file: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--out' || rest[i] === '-o') {
      file = rest[++i];
      if (file === undefined) throw new UsageError(`option ${rest[i - 1]} requires a value`);
    } else throw new UsageError(`unknown export option "${rest[i]}"`);
  }
  const text = luaDissector();
  if (file === undefined) return out(text.trimEnd());
  writeOutputFile(file, text);
  out(`wrote ${file}`);
}
