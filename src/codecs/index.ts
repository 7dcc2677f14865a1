import type { Codec } from './codec.js';
import { bcdDigits, bcdIdentity, plmn } from './digits.js';
import { imsiGroupId } from './group-id.js';

export type { Codec, CodecSite } from './codec.js';

/** Codecs a grammar may name with `codec:`. */
export const CODECS: ReadonlyMap<string, Codec> = new Map([
  ['bcd_identity', bcdIdentity],
  ['bcd_digits', bcdDigits],
  ['plmn', plmn],
  ['imsi_group_id', imsiGroupId],
]);

export const hasPlugin = (name: string): boolean => CODECS.has(name);
