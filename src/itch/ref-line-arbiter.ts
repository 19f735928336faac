// Golden model of A/B line arbitration (DESIGN.md 3.8, issue 18): the MoldUDP64 packets taken from lines A and
// B, in the order their frames arrived, in; the order in which the feed tracker gets them out. The tracker
// (src/itch/ref-decoder.ts) already drops every message below a session's expected number, so a message
// arrives once from whichever line brings it first. What the arbiter adds is patience: a packet that would
// open a gap is held until the other line has had its chance to fill it, so that a loss on one line that the
// other covers is no gap, and a gap is reported only where both lines lost the same messages.
//
// Rules (the RTL arbiter implements exactly these; none depends on timing, only on the order of arrival):
//  - Each line has a queue. An arriving packet joins its line's queue; then heads are released, one at a
//    time, the earliest arrived first among those that may go, until none may.
//  - A head may go unless it is ahead: a packet of at least 20 bytes whose session is in the arbiter's
//    table and whose sequence number is above that session's next expected number. An ahead head may
//    still go when
//      * its line holds more than `holdPackets` packets or more than `holdBeats` 8-byte beats (the other
//        line is late or dead: the gap is real as far as the arbiter can wait);
//      * the other line's head is ahead in the same session too, with a number not below it (both lines
//        lost what is missing: the lower one goes, on equal numbers the earlier arrived);
//      * a flush asks for everything held (the end of the input, or the RTL's idle time-out).
//  - Releasing a packet of a known session moves the session's next number to its end (sequence +
//    count, or the sequence of a heartbeat or end of session; never backwards), as the tracker will. A
//    session not in the table enters it on release, round robin over SESSION_SLOTS, the same table the tracker
//    keeps, so the two agree on which sessions are known.
//  - Frames refused by the receive path carry no packet and do not wait: their error goes out on arrival,
//    after everything released before.
//  - A packet that does not fit in its line's queue behind what the line holds (`queueWords` words: one per
//    payload beat and one for the frame's status) first flushes everything held; the largest UDP payload
//    fits an empty queue. The RTL's queue is WIRE_ARBITER_QUEUE_WORDS of block RAM and its FIFO's two stages.
// With holdPackets 0 nothing is ever held: first come, first out, as without arbitration.
//
// Counters per line: losses covered (messages the line skipped that the other line had delivered by the time
// the line's next packet is released: those the session has passed, less the gaps both lines lost since the
// line's previous packet) and late duplicates (packets with messages, every one of them delivered before).
import { WIRE_ARBITER_QUEUE_WORDS, type WireStatusName } from '../device/generated/layout.js';

export const HEADER_BYTES = 20;
const END_OF_SESSION = 0xffff;
const U64 = (1n << 64n) - 1n;

/** Beats a line may hold by default: two jumbo frames' worth inside the RTL's 4,096-beat queue. */
export const HOLD_BEATS = 2048;
/** Words a line's queue holds in the RTL: its block RAM and the two stages of its FIFO. */
export const QUEUE_WORDS = WIRE_ARBITER_QUEUE_WORDS + 2;

export interface ArbitratedPacket {
  line: 0 | 1;
  payload: Buffer;
  /** the frame's status, which follows the packet's records */
  status: Extract<WireStatusName, 'ok' | 'truncated' | 'udp_checksum'>;
}

interface Held extends ArbitratedPacket {
  arrival: number;
  beats: number;
  words: number;
}

interface Session {
  id: Buffer;
  next: bigint;
  /** messages in the gaps released so far (both lines lost them) */
  missing: bigint;
  /** per line, the end of the last packet released from it (null until the first), and `missing` then */
  seen: [bigint | null, bigint | null];
  missingAtSeen: [bigint, bigint];
}

export interface ArbiterCounters {
  coveredLosses: [bigint, bigint];
  lateDuplicates: [number, number];
  /** flushes for a packet that did not fit in its line's queue */
  forcedFlushes: number;
}

export function noArbiterCounters(): ArbiterCounters {
  return { coveredLosses: [0n, 0n], lateDuplicates: [0, 0], forcedFlushes: 0 };
}

export class LineArbiter {
  private readonly queues: [Held[], Held[]] = [[], []];
  private readonly beats: [number, number] = [0, 0];
  private readonly words: [number, number] = [0, 0];
  private readonly sessions: Array<Session | undefined>;
  private nextSlot = 0;
  private arrivals = 0;

  /** @param counters where the counts go (kept across arbiters by the caller) */
  constructor(readonly holdPackets: number, readonly slots: number, readonly holdBeats = HOLD_BEATS,
    readonly counters: ArbiterCounters = noArbiterCounters(), readonly queueWords = QUEUE_WORDS) {
    this.sessions = new Array(slots).fill(undefined);
  }

  /** Packets held now, per line. */
  held(): [number, number] {
    return [this.queues[0].length, this.queues[1].length];
  }

  /** A taken frame's packet arrives; `release` gets every packet that goes because of it, in order. */
  arrive(p: ArbitratedPacket, release: (p: ArbitratedPacket) => void): void {
    const beats = Math.max(1, Math.ceil(p.payload.length / 8));
    const words = Math.ceil(p.payload.length / 8) + 1;
    if (this.words[p.line] + words > this.queueWords && this.queues[0].length + this.queues[1].length > 0) {
      this.counters.forcedFlushes++;
      this.drain(true, release);
    }
    this.queues[p.line].push({ ...p, arrival: this.arrivals++, beats, words });
    this.beats[p.line] += beats;
    this.words[p.line] += words;
    this.drain(false, release);
  }

  /** Everything held goes, the earliest arrived first. */
  flush(release: (p: ArbitratedPacket) => void): void {
    this.drain(true, release);
  }

  private drain(force: boolean, release: (p: ArbitratedPacket) => void): void {
    for (;;) {
      let pick: 0 | 1 | null = null;
      for (const line of [0, 1] as const) {
        const head = this.queues[line][0];
        if (!head || !(force || this.mayGo(line))) continue;
        if (pick === null || head.arrival < this.queues[pick][0]!.arrival) pick = line;
      }
      if (pick === null) return;
      const head = this.queues[pick].shift()!;
      this.beats[pick] -= head.beats;
      this.words[pick] -= head.words;
      this.account(head);
      release({ line: head.line, payload: head.payload, status: head.status });
    }
  }

  private mayGo(line: 0 | 1): boolean {
    const head = this.queues[line][0]!;
    const ahead = this.ahead(head);
    if (ahead === null) return true;
    if (this.queues[line].length > this.holdPackets || this.beats[line]! > this.holdBeats) return true;
    const other = this.queues[1 - line]![0];
    const otherAhead = other && this.ahead(other);
    if (!other || !otherAhead || otherAhead.slot !== ahead.slot) return false;
    return otherAhead.seq > ahead.seq || (otherAhead.seq === ahead.seq && head.arrival < other.arrival);
  }

  /** The packet's slot and number when it would open a gap in a known session, else null. */
  private ahead(p: Held): { slot: number; seq: bigint } | null {
    if (p.payload.length < HEADER_BYTES) return null;
    const slot = this.slotOf(p.payload);
    if (slot < 0) return null;
    const seq = p.payload.readBigUInt64BE(10);
    return seq > this.sessions[slot]!.next ? { slot, seq } : null;
  }

  private slotOf(payload: Buffer): number {
    const id = payload.subarray(0, 10);
    return this.sessions.findIndex((s) => s?.id.equals(id));
  }

  /** A released packet: the session's next number and the line's counters. */
  private account(p: Held): void {
    if (p.payload.length < HEADER_BYTES) return;
    let slot = this.slotOf(p.payload);
    const seq = p.payload.readBigUInt64BE(10);
    const count = p.payload.readUInt16BE(18);
    if (slot < 0) {
      slot = this.nextSlot;
      this.nextSlot = (this.nextSlot + 1) % this.slots;
      this.sessions[slot] = { id: Buffer.from(p.payload.subarray(0, 10)), next: seq, missing: 0n, seen: [null, null], missingAtSeen: [0n, 0n] };
    }
    const s = this.sessions[slot]!;
    const messages = count !== 0 && count !== END_OF_SESSION;
    const end = messages ? (seq + BigInt(count)) & U64 : seq;
    if (messages && seq + BigInt(count) <= s.next) this.counters.lateDuplicates[p.line]++;
    const seen = s.seen[p.line];
    if (seen !== null) {
      // what the line skipped and the session has passed, less what both lines lost since (the gaps since the
      // line's last packet lie there, unless the line is behind a gap declared without it: then at most)
      const skipped = (seq < s.next ? seq : s.next) - seen;
      const covered = skipped - (s.missing - s.missingAtSeen[p.line]);
      if (covered > 0n) this.counters.coveredLosses[p.line] = (this.counters.coveredLosses[p.line] + covered) & U64;
    }
    if (seq > s.next) s.missing = (s.missing + seq - s.next) & U64;
    if (end > s.next) s.next = end;
    if (seen === null || end > seen) s.seen[p.line] = end;
    s.missingAtSeen[p.line] = s.missing;
  }
}
