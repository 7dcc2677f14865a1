/** The codec implementations, by the name their descriptor (descriptors.ts) declares; the engine looks them up at run time. */
import type { Codec } from './codec.js';
import { bcdDigits, bcdIdentity, plmn } from './digits.js';
import { imsiGroupId } from './group-id.js';

export type { Codec, CodecSite } from './codec.js';

export const CODECS: ReadonlyMap<string, Codec> = new Map([
  ['bcd_identity', bcdIdentity],
  ['bcd_digits', bcdDigits],
  ['plmn', plmn],
  ['imsi_group_id', imsiGroupId],
]);
