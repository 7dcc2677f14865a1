import type { Direction } from '../engine/protection.js';

export type { Direction };

/** One message as read from an input, before any dissection. */
export interface Frame {
  bytes: Uint8Array;
  /** 'nas-eps' | 'gmsg' | 'diameter' | ... when the input says so. */
  protocol?: string;
  direction?: Direction;
  /** Seconds since the epoch, when the input has it. */
  time?: number;
  label?: string;
  /** The receiving endpoint, when the capture names it (an exported PDU's destination address). */
  destination?: string;
  /** Where the frame came from: 'file.txt:12' (line) or 'cap.pcapng#3' (packet number). */
  source: string;
  /** Why a line of a text capture could not be read (`file.txt:12:7: odd number of hex digits`); bytes are then empty. */
  error?: string;
}

/** A line that could not be read, kept in its place as a frame (tshark marks such a packet malformed and goes on). */
export const unreadableFrame = (source: string, error: Error): Frame => ({ bytes: new Uint8Array(0), source, error: error.message });

/**
 * Seen from the UE, inbound is downlink: text2pcap -D's I(nbound)/O(utbound) words, and the pcapng
 * direction flags this project writes. pcapng readers take the mapping as an option.
 */
export const INBOUND: Direction = 'dl';

export const IO_DIRECTIONS: ReadonlyMap<string, Direction> = new Map([
  ['I', INBOUND],
  ['O', opposite(INBOUND)],
]);

export function opposite(direction: Direction): Direction {
  return direction === 'ul' ? 'dl' : 'ul';
}
