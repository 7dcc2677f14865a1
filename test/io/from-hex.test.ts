import { describe, expect, it } from 'vitest';
import { fromHex } from '../../src/index.js';

describe('fromHex', () => {
  it('takes the forms --hex takes', () => {
    for (const text of ['075501', '07 55 01', '07:55:01', '0x07,0x55,0x01', ' 07 5501\n']) expect(fromHex(text), text).toEqual(Uint8Array.of(7, 0x55, 1));
    expect(fromHex('')).toEqual(new Uint8Array(0));
  });

  it('says what is wrong and where', () => {
    expect(() => fromHex('zz')).toThrow(new TypeError('non-hex character "z" at 1: "zz"'));
    expect(() => fromHex('07 5')).toThrow(new TypeError('odd number of hex digits at 4: "07 5"'));
  });
});
