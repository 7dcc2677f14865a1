/** Anti-replay sliding window (RFC 4303 §3.4.3 style) over 32-bit sequence numbers. */
export type ReplayVerdict = 'ok' | 'replayed' | 'too_old';

export class ReplayWindow {
  private highest = -1;
  /** Bit i set: highest - i was accepted. */
  private seen = 0n;

  constructor(readonly size = 64) {}

  check(seq: number): ReplayVerdict {
    if (seq > this.highest) return 'ok';
    const back = this.highest - seq;
    if (back >= this.size) return 'too_old';
    return (this.seen >> BigInt(back)) & 1n ? 'replayed' : 'ok';
  }

  /** Records an authenticated sequence number (call only after the MAC verified and check() was ok). */
  accept(seq: number): void {
    const mask = (1n << BigInt(this.size)) - 1n;
    if (seq > this.highest) {
      const shift = this.highest < 0 ? this.size : seq - this.highest;
      this.seen = shift >= this.size ? 1n : ((this.seen << BigInt(shift)) | 1n) & mask;
      this.highest = seq;
    } else {
      this.seen |= 1n << BigInt(this.highest - seq);
    }
  }
}
