import { describe, expect, it } from 'vitest';
import { compileFilter, FilterError, type FieldValues } from '../../src/filter/index.js';

const catalogue = new Set(['nas-eps', 'nas_eps.emm.cause', 'nas_eps.esm.cause', 'nas_eps.bearer_id', 'nas_eps.apn', 'nas_eps.mcc', 'nas_eps.mac', 'nas_eps.text']);
const packet: FieldValues = new Map([
  ['nas-eps', ['']],
  ['nas_eps.emm.cause', ['0x07']],
  ['nas_eps.bearer_id', ['5', '6']],
  ['nas_eps.apn', ['internet']],
  ['nas_eps.mcc', ['001']],
  ['nas_eps.mac', ['aabbccdd']],
  ['nas_eps.text', ['say "hi"\\ A\n']],
]);

const run = (filter: string, values: FieldValues = packet) => compileFilter(filter, catalogue)(values);

function failure(filter: string): { message: string; column: number } {
  try {
    compileFilter(filter, catalogue);
  } catch (e) {
    expect(e).toBeInstanceOf(FilterError);
    const { message, column } = e as FilterError;
    return { message, column };
  }
  throw new Error(`${filter} compiled`);
}

describe('presence', () => {
  it.each([
    ['nas-eps', true],
    ['nas_eps.apn', true],
    ['nas_eps.esm.cause', false],
  ])('%s → %s', (f, want) => expect(run(f)).toBe(want));

  it('an empty occurrence list is absent', () => {
    expect(run('nas_eps.apn', new Map([['nas_eps.apn', []]]))).toBe(false);
  });

  it('an empty filter matches everything', () => {
    expect(run('')).toBe(true);
    expect(run(' \t')).toBe(true);
  });
});

describe('comparisons', () => {
  it.each([
    // numbers: decimal and hex compare by value
    ['nas_eps.emm.cause == 7', true],
    ['nas_eps.emm.cause eq 0x7', true],
    ['nas_eps.emm.cause == 0X07', true],
    ['nas_eps.emm.cause == 8', false],
    ['nas_eps.mcc == 1', true],
    ['nas_eps.mcc > -1', true],
    ['nas_eps.emm.cause != 8', true],
    ['nas_eps.emm.cause ne 7', false],
    ['nas_eps.emm.cause < 8', true],
    ['nas_eps.emm.cause lt 7', false],
    ['nas_eps.emm.cause > 6', true],
    ['nas_eps.emm.cause gt 7', false],
    ['nas_eps.emm.cause <= 7', true],
    ['nas_eps.emm.cause le 6', false],
    ['nas_eps.emm.cause >= 7', true],
    ['nas_eps.emm.cause ge 8', false],
    ['nas_eps.emm.cause > 0x6', true],
    // quoted literals compare as strings
    ['nas_eps.emm.cause == "0x07"', true],
    ['nas_eps.emm.cause == "7"', false],
    ['nas_eps.mcc == "001"', true],
    ['nas_eps.mcc == "1"', false],
    // strings: bare words too; lexicographic order
    ['nas_eps.apn == internet', true],
    ['nas_eps.apn == "internet"', true],
    ['nas_eps.apn == "Internet"', false],
    ['nas_eps.apn > "abc"', true],
    ['nas_eps.apn lt "j"', true],
    ['nas_eps.apn != ims', true],
    // string escapes
    ['nas_eps.text == "say \\"hi\\"\\\\ \\x41\\n"', true],
    // protocols are present with an empty value
    ['nas-eps == ""', true],
  ])('%s → %s', (f, want) => expect(run(f)).toBe(want));

  it.each([
    ['nas_eps.mac == aa:bb:cc:dd', true],
    ['nas_eps.mac == aa-bb-cc-dd', true],
    ['nas_eps.mac == aa.bb.cc.dd', true],
    ['nas_eps.mac == aabbccdd', true],
    ['nas_eps.mac == AA:BB:CC:DD', true],
    ['nas_eps.mac == aa:bb', false],
    ['nas_eps.mac == aa:bb-cc:dd', false], // mixed separators: not a byte string
    ['nas_eps.mac > aa:bb', true], // a proper prefix sorts first
    ['nas_eps.mac < ab', true],
    ['nas_eps.mac >= aa:bb:cc:dd', true],
    ['nas_eps.mac == "aa:bb:cc:dd"', false], // quoted: a string, not bytes
  ])('bytes: %s → %s', (f, want) => expect(run(f)).toBe(want));

  it('bytes values compare case-insensitively, one-digit bytes allowed with separators', () => {
    expect(run('nas_eps.mac == aa:bb:cc:dd', new Map([['nas_eps.mac', ['AABBCCDD']]]))).toBe(true);
    expect(run('nas_eps.mac == 0.1.0.d', new Map([['nas_eps.mac', ['0001000d']]]))).toBe(true);
  });
});

describe('several occurrences (Wireshark 4.0 semantics)', () => {
  const twice = new Map([['nas_eps.bearer_id', ['5', '5']]]);
  it.each([
    ['nas_eps.bearer_id == 6', packet, true], // any equal
    ['nas_eps.bearer_id any_eq 6', packet, true],
    ['nas_eps.bearer_id != 6', packet, false], // all not equal: !(== 6)
    ['nas_eps.bearer_id all_ne 7', packet, true],
    ['nas_eps.bearer_id !== 6', packet, true], // any not equal
    ['nas_eps.bearer_id any_ne 5', twice, false],
    ['nas_eps.bearer_id === 5', packet, false], // all equal
    ['nas_eps.bearer_id all_eq 5', twice, true],
    ['nas_eps.bearer_id > 5', packet, true],
    ['nas_eps.bearer_id < 5', packet, false],
  ] as const)('%s', (f, values, want) => expect(run(f, values)).toBe(want));

  it.each(['!= 1', '!== 1', '=== 1', '== 1', '< 1', 'in {1..9}', 'contains 01', 'matches ""'])('a test "%s" on an absent field is false', (test) => {
    expect(run(`nas_eps.esm.cause ${test}`)).toBe(false);
  });
});

describe('contains and matches', () => {
  it.each([
    ['nas_eps.mac contains bb:cc', true],
    ['nas_eps.mac contains BBCC', true],
    ['nas_eps.mac contains dd:aa', false],
    ['nas_eps.mac contains bc', false], // bytes match only at byte boundaries
    ['nas_eps.mac contains "bc"', true], // a quoted literal is text
    ['nas_eps.apn contains "tern"', true],
    ['nas_eps.apn contains net', true],
    ['nas_eps.apn contains "NET"', false],
    ['nas_eps.emm.cause contains 07', true],
    ['nas_eps.apn matches "^INTER"', true], // case-insensitive
    ['nas_eps.apn ~ "net$"', true],
    ['nas_eps.apn matches "^ims"', false],
    ['nas_eps.mcc matches "\\d{3}"', true],
    ['nas_eps.mcc matches "\\\\d"', true],
  ])('%s → %s', (f, want) => expect(run(f)).toBe(want));
});

describe('set membership', () => {
  it.each([
    ['nas_eps.bearer_id in {1, 6}', true],
    ['nas_eps.bearer_id in {1,2}', false],
    ['nas_eps.bearer_id in {1..5}', true],
    ['nas_eps.bearer_id in {1 .. 4, 7..9}', false],
    ['nas_eps.emm.cause in {0x01..0x07}', true],
    ['nas_eps.emm.cause in {3, 0x55, 7}', true],
    ['nas_eps.apn in {"ims", internet}', true],
    ['nas_eps.apn in {a..j}', true],
    ['nas_eps.mac in {aa:bb:cc:dd}', true],
  ])('%s → %s', (f, want) => expect(run(f)).toBe(want));
});

describe('logic', () => {
  const yes = 'nas-eps';
  const no = 'nas_eps.esm.cause';
  it.each([
    [`${yes} && ${no}`, false],
    [`${yes} and ${yes}`, true],
    [`${no} || ${yes}`, true],
    [`${no} or ${no}`, false],
    [`!${no}`, true],
    [`not ${yes}`, false],
    [`not not ${yes}`, true],
    // && binds tighter than ||
    [`${yes} || ${no} && ${no}`, true],
    [`(${yes} || ${no}) && ${no}`, false],
    [`${no} && ${no} || ${yes}`, true],
    // ! binds tighter than &&
    [`!${no} && ${no}`, false],
    [`!(${no} && ${no})`, true],
    // ! negates the whole comparison after it
    ['!nas_eps.emm.cause == 8', true],
    ['not nas_eps.esm.cause == 1', true],
    ['((nas_eps.emm.cause==7))&&!(nas_eps.apn contains "ims")', true],
  ])('%s → %s', (f, want) => expect(run(f)).toBe(want));

  it('long chains do not exhaust the stack', () => {
    expect(run(Array(20000).fill(yes).join(' && '))).toBe(true);
    expect(run(Array(20000).fill(no).join(' || '))).toBe(false);
  });
});

describe('errors', () => {
  it.each([
    ['foo.bar', '"foo.bar" is neither a field nor a protocol name.', 0],
    ['nas-eps && foo.bar == 1', '"foo.bar" is neither a field nor a protocol name.', 11],
    ['2', '"2" is neither a field nor a protocol name.', 0],
    ['nas_eps.emm.cause == 1 2', '"2" was unexpected in this context.', 23],
    ['nas_eps.emm.cause == == 1', '"==" was unexpected in this context.', 21],
    ['== 1', '"==" was unexpected in this context.', 0],
    ['"x"', '"\\"x\\"" was unexpected in this context.', 0],
    ['nas-eps = 1', '"=" was unexpected in this context.', 8],
    ['nas-eps [0]', '"[" was unexpected in this context.', 8],
    ['nas-eps)', '")" was unexpected in this context.', 7],
    ['()', '")" was unexpected in this context.', 1],
    ['nas-eps and or nas-eps', '"or" was unexpected in this context.', 12],
    ['nas_eps.apn == and', '"and" was unexpected in this context.', 15],
    ['nas_eps.apn == 1..2', '".." was unexpected in this context.', 16],
    ['nas-eps &&', 'Unexpected end of filter expression.', 10],
    ['(nas-eps', 'Unexpected end of filter expression.', 8],
    ['nas_eps.apn ==', 'Unexpected end of filter expression.', 14],
    ['nas_eps.apn == "inter', 'The final quote was missing from a quoted string.', 15],
    ['nas_eps.apn == "a\\"', 'The final quote was missing from a quoted string.', 15],
    ['nas_eps.bearer_id in {1 2}', '"2" was unexpected in this context.', 24],
    ['nas_eps.bearer_id in {1,}', '"}" was unexpected in this context.', 24],
    ['nas_eps.bearer_id in {}', '"}" was unexpected in this context.', 22],
    ['nas_eps.bearer_id in 1', '"1" was unexpected in this context.', 21],
    ['nas_eps.bearer_id in {1', 'Unexpected end of filter expression.', 23],
  ])('%s', (filter, message, column) => {
    expect(failure(filter)).toEqual({ message, column });
  });

  it('reports an invalid regular expression at its string', () => {
    const { message, column } = failure('nas-eps && nas_eps.apn matches "(in"');
    expect(message).toMatch(/^"\(in" is not a valid regular expression \(RE2 syntax\): .+\.$/);
    expect(column).toBe(31);
  });

  it('rejects absurd nesting with a FilterError', () => {
    expect(failure('('.repeat(5000) + 'nas-eps' + ')'.repeat(5000))).toEqual({ message: 'The filter is nested too deeply.', column: 256 });
    expect(failure('!'.repeat(5000) + 'nas-eps').message).toBe('The filter is nested too deeply.');
    expect(run('!'.repeat(200) + 'nas-eps')).toBe(true);
  });

  it('keeps messages on one line', () => {
    expect(failure('"a\nb"').message).toBe('"\\"a\\nb\\"" was unexpected in this context.');
  });
});
