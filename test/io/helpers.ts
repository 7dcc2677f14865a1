import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

import { type Direction, InputError } from '../../src/io/index.js';

const url = (name: string) => new URL(`../fixtures/io/${name}`, import.meta.url);

export const fixtureBytes = (name: string): Uint8Array => new Uint8Array(readFileSync(url(name)));
export const fixtureText = (name: string): string => readFileSync(url(name), 'utf8');

/** Lines of test/fixtures/corpus/nas-eps-real.jsonl, copied to messages.jsonl; every tool-made fixture carries them. */
export interface CorpusMessage {
  hex: string;
  name: string;
  direction?: Direction;
}

export const messages: CorpusMessage[] = fixtureText('messages.jsonl')
  .trim()
  .split('\n')
  .map((line) => {
    const { hex, name, note } = JSON.parse(line) as { hex: string; name: string; note: string };
    const dir = /^dir=(UL|DL)/.exec(note)?.[1];
    return { hex, name, ...(dir && { direction: dir.toLowerCase() as Direction }) };
  });

export const attachAccept = messages.find((m) => m.name === 'Attach accept')!;

/** The message of the InputError that `run` throws. */
export function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message;
  }
  throw new Error('no InputError thrown');
}
