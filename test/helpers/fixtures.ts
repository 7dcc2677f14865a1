import { readFileSync } from 'node:fs';

/** A file under test/fixtures/ (README.md there names each file's source), as text. */
export const fixtureText = (path: string): string => readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');

/** A JSON file under test/fixtures/. */
export const fixtureJson = <T>(path: string): T => JSON.parse(fixtureText(path)) as T;

/** One line of the real NAS-EPS corpus (test/fixtures/corpus/nas-eps-real.jsonl). */
export interface CorpusLine {
  hex: string;
  name: string;
  source: string;
  note: string;
}

/** The real NAS-EPS corpus, in file order. */
export const realCorpus = (): CorpusLine[] =>
  fixtureText('corpus/nas-eps-real.jsonl')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as CorpusLine);
