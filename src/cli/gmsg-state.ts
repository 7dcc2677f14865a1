/**
 * The sender state of `gmsg protect --state FILE`: the last COUNT used for each GID/Gki, so that no
 * COUNT is used twice with one key. The file is read, checked and written under a lock, so that two
 * senders sharing it can never take the same COUNT.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import lockfile from 'proper-lockfile';
import { InputError } from '../io/input-error.js';

type Counts = Record<string, number>;

const LOCK = { realpath: false, stale: 10_000, retries: { retries: 100, minTimeout: 10, maxTimeout: 200 } };

function read(file: string): Counts {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new InputError(file, `cannot be read (${(e as NodeJS.ErrnoException).code})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new InputError(file, 'is not a sender state file (not JSON)');
  }
  const counts = (data as { last_count?: unknown } | null)?.last_count;
  if (!counts || typeof counts !== 'object' || Object.values(counts).some((n) => !Number.isInteger(n) || (n as number) < 0)) {
    throw new InputError(file, 'is not a sender state file (expected {"last_count": {"GID/Gki": COUNT}})');
  }
  return counts as Counts;
}

function write(file: string, counts: Counts): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify({ last_count: counts }, null, 2) + '\n');
    renameSync(tmp, file);
  } catch (e) {
    throw new InputError(file, `cannot be written (${(e as NodeJS.ErrnoException).code})`);
  }
}

/**
 * Runs `use` with the last COUNT of `id` (-1 when none) under the file's lock; the COUNT it returns
 * is stored as the new last one before the lock is released.
 */
export async function withLastCount<T>(file: string, id: string, use: (last: number) => { count: number; result: T }): Promise<T> {
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(file, LOCK);
  } catch (e) {
    throw new InputError(file, `cannot be locked (${(e as NodeJS.ErrnoException).code ?? 'held by another sender'})`);
  }
  try {
    const counts = read(file);
    const { count, result } = use(counts[id] ?? -1);
    write(file, { ...counts, [id]: count });
    return result;
  } finally {
    await release();
  }
}
