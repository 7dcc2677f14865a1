/** `mtcgk gmsg protect|verify`: build and check protected group messages with the keys file. */
import { readFileSync } from 'node:fs';
import { fromHex, toHex } from '../engine/format.js';
import { CountError, GroupMessageSender, verifyGroupMessage, type GroupMessageVerdict } from '../groupkeys/protect.js';
import { KeysError, mergeKeys, parseKeys } from '../security/keys.js';
import { SecuritySession } from '../security/session.js';
import { UsageError } from './args.js';
import { withLastCount } from './gmsg-state.js';

export const GMSG_USAGE = `Usage: mtcgk gmsg protect --keys FILE --gid GID --gki N (--count C | --state FILE) [--cipher] --payload HEX
       mtcgk gmsg verify --keys FILE [--show-unverified] HEX...

protect   one protected group message, as hex. --state FILE keeps the last COUNT of each GID/Gki
          (JSON, updated under a lock): without --count the next COUNT is taken from it, and a
          COUNT not above the last one is refused (exit 1).
verify    one line per message, in order (replays are detected across the list):
            mac good, replay ok, payload HEX
            mac good, replay replayed | mac good, replay too_old
            mac bad | mac unverified
          The payload is released only for a good MAC on a fresh message; --show-unverified also
          prints the octets of the others, marked. Exit 0 when every message is good and fresh,
          1 when any is not, 2 for bad options or unreadable input.`;

const VALUED = ['--keys', '--gid', '--gki', '--count', '--payload', '--state'];
const SWITCHES = ['--cipher', '--show-unverified'];

function flags(argv: string[]): { named: Map<string, string[]>; positional: string[]; switches: Set<string> } {
  const named = new Map<string, string[]>();
  const positional: string[] = [];
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (SWITCHES.includes(a)) switches.add(a);
    else if (VALUED.includes(a)) {
      if (argv[i + 1] === undefined) throw new UsageError(`option ${a} requires a value`);
      named.set(a, [...(named.get(a) ?? []), argv[++i]]);
    } else if (a.startsWith('--')) throw new UsageError(`unknown gmsg option "${a}"`);
    else positional.push(a);
  }
  return { named, positional, switches };
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

async function protect(f: ReturnType<typeof flags>, out: (s: string) => void): Promise<void> {
  const keys = readKeys(f.named.get('--keys'));
  const gid = f.named.get('--gid')?.[0]?.toLowerCase();
  if (gid === undefined) throw new UsageError('gmsg protect needs --gid GID');
  const gki = int(f.named.get('--gki')?.[0], '--gki', 255);
  const payload = f.named.get('--payload')?.[0];
  if (payload === undefined) throw new UsageError('gmsg protect needs --payload HEX');
  const given = f.named.get('--count')?.[0];
  const state = f.named.get('--state')?.[0];
  if (given === undefined && state === undefined) throw new UsageError('gmsg protect needs --count C or --state FILE');
  const key = keys.groups.find((g) => g.gid === gid && g.gki === gki);
  if (!key) throw new KeysError(`no group key for ${gid} Gki ${gki} in the keys file`);
  const data = hex(payload, '--payload');
  const cipher = f.switches.has('--cipher');
  const count = given === undefined ? undefined : int(given, '--count', 0xffffffff);
  const send = (last: number) => {
    const sender = new GroupMessageSender(key, last);
    return { result: sender.send(data, cipher, count), count: sender.lastCount };
  };
  out(toHex(state === undefined ? send(-1).result : await withLastCount(state, `${key.gid}/${key.gki}`, send)));
}

function verifyLine(v: GroupMessageVerdict, showUnverified: boolean): string {
  const fresh = v.mac === 'good' && v.replay === 'ok';
  const parts = [`mac ${v.mac}`];
  if (v.mac === 'good') parts.push(`replay ${v.replay}`);
  if (fresh) parts.push(`payload ${toHex(v.payload!)}`);
  else if (showUnverified && v.payload) parts.push(`payload (not fresh) ${toHex(v.payload)}`);
  else if (showUnverified && v.wire) parts.push(`payload as sent (unverified) ${toHex(v.wire)}`);
  return parts.join(', ');
}

/** Exit status as gpg --verify: 0 when every message is good and fresh, 1 when any is not. */
function verify(f: ReturnType<typeof flags>, out: (s: string) => void): number {
  const keys = readKeys(f.named.get('--keys'));
  if (!f.positional.length) throw new UsageError('gmsg verify needs the message as HEX');
  const messages = f.positional.map((h, i) => hex(h, `message ${i + 1}`));
  const session = new SecuritySession(keys);
  let allGood = true;
  for (const m of messages) {
    const v = verifyGroupMessage(m, session);
    allGood &&= v.mac === 'good' && v.replay === 'ok';
    out(verifyLine(v, f.switches.has('--show-unverified')));
  }
  return allGood ? 0 : 1;
}

export async function runGmsg(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h' || rest.includes('--help') || rest.includes('-h')) {
    out(GMSG_USAGE);
    return verb === undefined ? 1 : 0;
  }
  if (verb === 'verify') {
    try {
      return verify(flags(rest), out);
    } catch (e) {
      // gpg's convention for a verifier: bad options and unreadable input are both 2.
      if (!(e instanceof UsageError)) throw e;
      err(`mtcgk: ${e.message} (see mtcgk gmsg --help)`);
      return 2;
    }
  }
  if (verb === 'protect') {
    try {
      await protect(flags(rest), out);
      return 0;
    } catch (e) {
      if (!(e instanceof CountError)) throw e;
      err(`mtcgk: ${e.message}`);
      return 1;
    }
  }
  throw new UsageError(`gmsg takes protect or verify\n${GMSG_USAGE}`);
}
