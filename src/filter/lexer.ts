/** Display-filter tokens: words (fields, keywords, bare literals), quoted strings, punctuation. */
import { FilterError, quote } from './errors.js';

export interface Token {
  kind: 'word' | 'string' | 'punct' | 'end';
  /** Source text of the token (quotes and escapes included for strings). */
  text: string;
  /** A string's unescaped contents; otherwise the same as `text`. */
  value: string;
  column: number;
}

// Longest first, so `===` is not read as `==` `=`.
const PUNCT = ['===', '!==', '==', '!=', '<=', '>=', '&&', '||', '..', '!', '<', '>', '(', ')', '{', '}', ',', '~'];
const WORD_CHAR = /[A-Za-z0-9_.:-]/;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', r: '\r', t: '\t' };

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '"') {
      const value = readString(text, i);
      i = value.end;
      tokens.push({ kind: 'string', text: text.slice(start, i), value: value.text, column: start });
      continue;
    }
    const punct = PUNCT.find((p) => text.startsWith(p, i));
    if (punct) {
      i += punct.length;
      tokens.push({ kind: 'punct', text: punct, value: punct, column: start });
      continue;
    }
    // `..` ends a word so that ranges like `1..5` need no spaces.
    while (i < text.length && WORD_CHAR.test(text[i]!) && !text.startsWith('..', i)) i++;
    if (i === start) throw new FilterError(`${quote(String.fromCodePoint(text.codePointAt(i)!))} was unexpected in this context.`, i);
    const word = text.slice(start, i);
    tokens.push({ kind: 'word', text: word, value: word, column: start });
  }
  tokens.push({ kind: 'end', text: '', value: '', column: text.length });
  return tokens;
}

/**
 * Reads the string whose opening quote is at `open`. Escapes: \" \\ \n \r \t \xHH; any other
 * backslash is kept as is, so regular expressions like "\d+" need no doubling.
 */
function readString(text: string, open: number): { text: string; end: number } {
  let out = '';
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') return { text: out, end: i + 1 };
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = text[i + 1] ?? '';
    const hex = /^x([0-9A-Fa-f]{2})/.exec(text.slice(i + 1, i + 4));
    if (hex) {
      out += String.fromCharCode(parseInt(hex[1]!, 16));
      i += 3;
    } else if (e in ESCAPES) {
      out += ESCAPES[e];
      i++;
    } else out += c;
  }
  throw new FilterError('The final quote was missing from a quoted string.', open);
}
