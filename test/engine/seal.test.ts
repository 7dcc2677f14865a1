import { describe, expect, it } from 'vitest';
import { encode, type Sealer } from '../../src/index.js';

// A stand-in scheme whose output is easy to compute by hand: ciphering flips every bit, and the
// "MAC" is the covered length followed by the XOR of the covered octets, repeated.
const flip: Sealer = {
  cipher: (plain) => plain.map((b) => b ^ 0xff),
  mac: (covered) => {
    const x = covered.reduce((a, b) => a ^ b, 0);
    return Uint8Array.of(covered.length, x, x, x);
  },
};
const macOf = (covered: Uint8Array) => flip.mac(covered);

describe('sealing in one pass', () => {
  it('a NAS message: payload ciphered (SHT 2), MAC over SQN and the ciphered payload, in the MAC field before them', () => {
    const inner = { message: 'identity_request', identity_type: { type: 1 } } as const;
    const value = { message: 'security_protected_nas_message', security_header_type: 2, message_authentication_code: 0, sequence_number: 5, nas_message: inner };
    // TS 24.301 §9.1: octet 1 SHT and PD, octets 2-5 the MAC, octet 6 the SQN, then the message.
    const plain = encode(inner);
    const expected = Uint8Array.from([0x27, 0, 0, 0, 0, 5, ...plain.map((b) => b ^ 0xff)]);
    expected.set(macOf(expected.subarray(5)), 1);
    expect(encode(value, 'nas-eps', { seal: { nas: flip } })).toEqual(expected);
  });

  it('an integrity-only NAS message (SHT 1) keeps its payload plain', () => {
    const inner = { message: 'identity_request', identity_type: { type: 1 } } as const;
    const sealed = encode({ message: 'security_protected_nas_message', security_header_type: 1, message_authentication_code: 0, sequence_number: 9, nas_message: inner }, 'nas-eps', {
      seal: { nas: flip },
    });
    const expected = Uint8Array.from([0x17, 0, 0, 0, 0, 9, ...encode(inner)]);
    expected.set(macOf(expected.subarray(5)), 1);
    expect(sealed).toEqual(expected);
  });

  it('a group message: MAC after the payload covers everything before it', () => {
    const value = { message: 'group_message', ciphering: 1, integrity: 2, gid: '0000000a-001-01-0102', gki: 3, sequence_number: 7, payload: 'aabbcc', mac: 0 };
    const draft = encode(value, 'gmsg');
    const n = draft.length;
    // The last four octets are the MAC; the three before them the payload.
    const expected = draft.slice();
    expected.set([0xaa ^ 0xff, 0xbb ^ 0xff, 0xcc ^ 0xff], n - 7);
    expected.set(macOf(expected.subarray(0, n - 4)), n - 4);
    expect(encode(value, 'gmsg', { seal: { gmsg: flip } })).toEqual(expected);
  });
});
