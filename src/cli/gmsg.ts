/** `mtcgk gmsg protect|verify`: build and check protected group messages with the keys file. */
import { readFileSync } from 'node:fs';
import { fromHex, toHex } from '../engine/format.js';
import { protectGroupMessage, verifyGroupMessage } from '../groupkeys/protect.js';
import { KeysError, mergeKeys, parseKeys } from '../security/keys.js';
import { SecuritySession } from '../security/session.js';
import { UsageError } from './args.js';

export const GMSG_USAGE = `Usage: mtcgk gmsg protect --keys FILE --gid GID --gki N --count C [--cipher] --payload HEX
       mtcgk gmsg verify --keys FILE HEX...   (in order: replays are detected across the list)`;

function flags(argv: string[]): { named: Map<string, string[]>; positional: string[]; cipher: boolean } {
  const named = new Map<string, string[]>();
  const positional: string[] = [];
  let cipher = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--cipher') cipher = true;
    else if (['--keys', '--gid', '--gki', '--count', '--payload'].includes(a)) {
      if (argv[i + 1] === undefined) throw new UsageError(`option ${a} requires a value`);
      named.set(a, [...(named.get(a) ?? []), argv[++i]]);
    } else if (a.startsWith('--')) throw new UsageError(`unknown gmsg option "${a}"`);
    else positional.push(a);
  }
  return { named, positional, cipher };
}

function readKeys(files: string[] | undefined) {
  if (!files?.length) throw new UsageError('gmsg needs --keys FILE');
  return mergeKeys(
    files.map((f) => {
      let text: string;
      try {
        text = readFileSync(f, 'utf8');
      } catch (e) {
        throw new KeysError(`The file "${f}" could not be read: ${(e as NodeJS.ErrnoException).code}`);
      }
      return parseKeys(text, f);
    }),
  );
}

const int = (v: string | undefined, what: string, max: number) => {
  if (v === undefined) throw new UsageError(`gmsg protect needs ${what} N`);
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(v) || Number(v) > max) throw new UsageError(`${what} takes an integer 0-${max}`);
  return Number(v);
};

const hex = (v: string, what: string) => {
  try {
    return fromHex(v.replace(/[\s:]/g, ''));
  } catch {
    throw new UsageError(`${what}: not hex`);
  }
};

export function runGmsg(argv: string[], out: (s: string) => void): void {
  const [verb, ...rest] = argv;
  if (verb !== 'protect' && verb !== 'verify') throw new UsageError(`gmsg takes protect or verify\n${GMSG_USAGE}`);
  const f = flags(rest);
  const keys = readKeys(f.named.get('--keys'));
  if (verb === 'protect') {
    const gid = f.named.get('--gid')?.[0]?.toLowerCase();
    const gki = int(f.named.get('--gki')?.[0], '--gki', 255);
    const key = keys.groups.find((g) => g.gid === gid && g.gki === gki);
    if (!key) throw new KeysError(`no group key for ${gid ?? '(no --gid)'} Gki ${gki} in the keys file`);
    const payload = f.named.get('--payload')?.[0];
    if (payload === undefined) throw new UsageError('gmsg protect needs --payload HEX');
    out(toHex(protectGroupMessage({ key, count: int(f.named.get('--count')?.[0], '--count', 0xffffffff), payload: hex(payload, '--payload'), cipher: f.cipher })));
    return;
  }
  if (verb === 'verify') {
    if (!f.positional.length) throw new UsageError('gmsg verify needs the message as HEX');
    const session = new SecuritySession(keys);
    for (const h of f.positional) {
      const v = verifyGroupMessage(hex(h, 'message'), session);
      out([`mac ${v.mac}`, v.replay && `replay ${v.replay}`, v.payload && `payload ${toHex(v.payload)}`].filter(Boolean).join(', '));
    }
    return;
  }
}
