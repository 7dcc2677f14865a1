/** Recursive-descent parser: `!` binds a whole test, then `&&`, then `||` (as in Wireshark). */
import { FilterError, quote } from './errors.js';
import { tokenize, type Token } from './lexer.js';

/** The filter names a filter may use (fields and protocols). */
export interface FieldCatalogue {
  has(name: string): boolean;
}

/** `eq`: any occurrence equal; `ne`: all differ; `all_eq`: all equal; `any_ne`: any differs. */
export type Relation = 'eq' | 'ne' | 'all_eq' | 'any_ne' | 'lt' | 'gt' | 'le' | 'ge';

export interface Literal {
  /** A string's contents, or the bare word. */
  text: string;
  quoted: boolean;
  column: number;
}

export interface Member {
  lo: Literal;
  /** Upper bound of a `lo..hi` range. */
  hi?: Literal;
}

export type Node =
  | { kind: 'and' | 'or'; operands: Node[] }
  | { kind: 'not'; operand: Node }
  | { kind: 'exists'; field: string }
  | { kind: 'compare'; field: string; relation: Relation; literal: Literal }
  | { kind: 'contains' | 'matches'; field: string; literal: Literal }
  | { kind: 'in'; field: string; members: Member[] };

const RELATIONS = new Map<string, Relation>([
  ['==', 'eq'],
  ['eq', 'eq'],
  ['any_eq', 'eq'],
  ['!=', 'ne'],
  ['ne', 'ne'],
  ['all_ne', 'ne'],
  ['===', 'all_eq'],
  ['all_eq', 'all_eq'],
  ['!==', 'any_ne'],
  ['any_ne', 'any_ne'],
  ['<', 'lt'],
  ['lt', 'lt'],
  ['>', 'gt'],
  ['gt', 'gt'],
  ['<=', 'le'],
  ['le', 'le'],
  ['>=', 'ge'],
  ['ge', 'ge'],
]);
const KEYWORDS = new Set(['and', 'or', 'not', 'contains', 'matches', 'in', ...RELATIONS.keys()]);
// Bounds recursion on input like `((((…` or `!!!!…` so that it fails with a FilterError.
const MAX_DEPTH = 256;

export function parse(text: string, catalogue: FieldCatalogue): Node {
  return new Parser(tokenize(text), catalogue).parse();
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly catalogue: FieldCatalogue,
  ) {}

  parse(): Node {
    const node = this.or();
    const rest = this.peek();
    if (rest.kind !== 'end') throw unexpected(rest);
    return node;
  }

  private or(): Node {
    const operands = [this.and()];
    while (this.accept('||', 'or')) operands.push(this.and());
    return operands.length === 1 ? operands[0]! : { kind: 'or', operands };
  }

  private and(): Node {
    const operands = [this.unary()];
    while (this.accept('&&', 'and')) operands.push(this.unary());
    return operands.length === 1 ? operands[0]! : { kind: 'and', operands };
  }

  private unary(): Node {
    const tok = this.peek();
    if (!this.accept('!', 'not', '(')) return this.test();
    if (++this.depth > MAX_DEPTH) throw new FilterError('The filter is nested too deeply.', tok.column);
    let node: Node;
    if (tok.text === '(') {
      node = this.or();
      this.expect(')');
    } else node = { kind: 'not', operand: this.unary() };
    this.depth--;
    return node;
  }

  private test(): Node {
    const tok = this.next();
    if (tok.kind !== 'word' || KEYWORDS.has(tok.text)) throw unexpected(tok);
    if (!this.catalogue.has(tok.text)) throw new FilterError(`${quote(tok.text)} is neither a field nor a protocol name.`, tok.column);
    const field = tok.text;
    const op = this.peek();
    const relation = op.kind === 'string' ? undefined : RELATIONS.get(op.text);
    if (relation) {
      this.pos++;
      return { kind: 'compare', field, relation, literal: this.literal() };
    }
    if (this.accept('contains')) return { kind: 'contains', field, literal: this.literal() };
    if (this.accept('matches', '~')) return { kind: 'matches', field, literal: this.literal() };
    if (this.accept('in')) return { kind: 'in', field, members: this.set() };
    return { kind: 'exists', field };
  }

  /** `{a, b..c, …}`: commas are required, as in tshark 4.0. */
  private set(): Member[] {
    this.expect('{');
    const members: Member[] = [];
    do {
      const lo = this.literal();
      members.push(this.accept('..') ? { lo, hi: this.literal() } : { lo });
    } while (this.accept(','));
    this.expect('}');
    return members;
  }

  private literal(): Literal {
    const tok = this.next();
    if (tok.kind === 'string') return { text: tok.value, quoted: true, column: tok.column };
    if (tok.kind === 'word' && !KEYWORDS.has(tok.text)) return { text: tok.text, quoted: false, column: tok.column };
    throw unexpected(tok);
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    const tok = this.peek();
    if (tok.kind !== 'end') this.pos++;
    return tok;
  }

  /** Consumes the next token if it is one of `texts` (never a quoted string). */
  private accept(...texts: string[]): boolean {
    const tok = this.peek();
    if (tok.kind === 'string' || tok.kind === 'end' || !texts.includes(tok.text)) return false;
    this.pos++;
    return true;
  }

  private expect(text: string): void {
    if (!this.accept(text)) throw unexpected(this.peek());
  }
}

function unexpected(tok: Token): FilterError {
  if (tok.kind === 'end') return new FilterError('Unexpected end of filter expression.', tok.column);
  return new FilterError(`${quote(tok.text)} was unexpected in this context.`, tok.column);
}
