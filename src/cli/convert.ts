/** `mtcgk convert`: any input format to pcapng (Wireshark opens it directly) or to hex lines. */
import { readFileSync, writeFileSync } from 'node:fs';
import { readFrames, writeHexLines, writePcapng, InputError, INBOUND, FORMAT_NAMES, type FormatName } from '../io/index.js';
import { UsageError } from './args.js';

export const CONVERT_USAGE = 'Usage: mtcgk convert --to pcapng|hex [--dlt 252|147] [--in FORMAT] [--proto P] -r FILE -w OUT   (-w - for stdout)';

export function runConvert(argv: string[], out: (s: string) => void): void {
  let to: string | undefined;
  let dlt = 252;
  let input: string | undefined;
  let output: string | undefined;
  let format: FormatName | undefined;
  let protocol = 'nas-eps';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (argv[i + 1] === undefined) throw new UsageError(`option ${a} requires a value`);
      return argv[++i];
    };
    if (a === '--to') to = value();
    else if (a === '--dlt') dlt = Number(value());
    else if (a === '-r') input = value();
    else if (a === '-w') output = value();
    else if (a === '--proto') protocol = value();
    else if (a === '--in') {
      const f = value();
      if (!(FORMAT_NAMES as readonly string[]).includes(f)) throw new UsageError(`invalid --in "${f}"`);
      format = f as FormatName;
    } else throw new UsageError(`unknown convert option "${a}"`);
  }
  if (to !== 'pcapng' && to !== 'hex') throw new UsageError(`convert needs --to pcapng or --to hex\n${CONVERT_USAGE}`);
  if (dlt !== 252 && dlt !== 147) throw new UsageError('--dlt takes 252 (exported PDU) or 147 (user link type 0)');
  if (!input || !output) throw new UsageError(`convert needs -r FILE and -w OUT\n${CONVERT_USAGE}`);
  let bytes: Uint8Array;
  try {
    bytes = input === '-' ? readFileSync(0) : readFileSync(input);
  } catch (e) {
    throw new InputError(input, `could not be read: ${(e as NodeJS.ErrnoException).code}`);
  }
  // directions as -r reads them; every frame names its protocol, so Diameter reads back as Diameter
  const frames = readFrames(bytes, { source: input, format, inboundDirection: INBOUND }).map((f) => ({ ...f, protocol: f.protocol ?? protocol }));
  const unreadable = frames.find((f) => f.error !== undefined);
  if (unreadable) throw new InputError(unreadable.source, `${unreadable.error!.slice(unreadable.error!.indexOf(': ') + 2)} (convert keeps every message or none)`);
  const written = to === 'pcapng' ? writePcapng(frames, { linkType: dlt as 252 | 147, defaultProtocol: protocol }) : writeHexLines(frames);
  // -w -: stdout, as tshark -w - (the file as is, no summary line)
  if (output === '-') return void process.stdout.write(written);
  writeFileSync(output, written);
  out(`${frames.length} messages written to ${output}`);
}
