// The byte formats between the host and the XDMA board shell (hdl/boards/xdma/, ARCHITECTURE.md "PCIe board
// shell"), written once for the `pcie` backend, its emulator and the shell's tests:
// - host to card: a write is a sequence of sub-frames, each an 8-byte header (length u16 LE, flags, 0, "TGH1")
//   and its payload padded to 8 bytes; END closes the core frame (tlast). `deframe` is the golden model of
//   the shell's h2c_unpack + h2c_deframer: what the core's ingress receives for a write, beat by beat.
// - card to host, records: packets of whole 64-byte records.
// - card to host, orders: one packet per order frame: its bytes padded to 8, then an 8-byte trailer
//   (length u32 LE, flags: bit 0 DROPPED).
import { XDMA_SHELL } from './generated/layout.js';

export const SUB_FRAME_HEADER_BYTES = 8;
export const MAX_SUB_FRAME_PAYLOAD = 0xffff;
export const SUB_FRAME_END = 0x01;
export const ORDER_TRAILER_BYTES = 8;
export const ORDER_DROPPED = 0x01;

const pad8 = (n: number) => (n + 7) & ~7;

/** One sub-frame: `payload` (at most 65,535 bytes), END when `end`. */
export function subFrame(payload: Uint8Array, end: boolean): Buffer {
  if (payload.length > MAX_SUB_FRAME_PAYLOAD) throw new RangeError(`a sub-frame holds at most ${MAX_SUB_FRAME_PAYLOAD} bytes, not ${payload.length}`);
  const out = Buffer.alloc(SUB_FRAME_HEADER_BYTES + pad8(payload.length));
  out.writeUInt16LE(payload.length, 0);
  out[2] = end ? SUB_FRAME_END : 0;
  out.writeUInt32LE(XDMA_SHELL.frameMagic, 4);
  out.set(payload, SUB_FRAME_HEADER_BYTES);
  return out;
}

/** A stream chunk as sub-frames: cut into pieces the header can describe; END (if asked) on the last. */
export function streamSubFrames(bytes: Uint8Array, end: boolean): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += MAX_SUB_FRAME_PAYLOAD) {
    const piece = bytes.subarray(at, Math.min(bytes.length, at + MAX_SUB_FRAME_PAYLOAD));
    out.push(subFrame(piece, end && at + piece.length === bytes.length));
  }
  if (out.length === 0 && end) out.push(subFrame(new Uint8Array(0), true));
  return out;
}

/** One beat on a core ingress port: its bytes (tkeep contiguous from lane 0) and tlast. */
export interface IngressBeat {
  bytes: Buffer;
  last: boolean;
}

export interface DeframeResult {
  beats: IngressBeat[];
  framesDone: number;
  badHeaders: number;
  truncated: number;
}

/** What the shell delivers to the core for one host write (one XDMA packet), and what it counts. The write is
 *  taken 8 bytes a word; a partial last word keeps only its bytes (the shell sees a word whose tkeep is not
 *  full). */
export function deframe(write: Uint8Array): DeframeResult {
  const r: DeframeResult = { beats: [], framesDone: 0, badHeaders: 0, truncated: 0 };
  const words = Math.ceil(write.length / 8);
  const word = (k: number) => Buffer.from(write.subarray(8 * k, Math.min(write.length, 8 * k + 8)));
  let k = 0;
  while (k < words) {
    const header = word(k);
    const isLast = k === words - 1;
    const ok = header.length === 8 && header.readUInt32LE(4) === XDMA_SHELL.frameMagic && header[3] === 0 && (header[2]! & 0xfe) === 0;
    if (!ok) {
      r.badHeaders++;
      return r; // the rest of the write is dropped
    }
    const length = header.readUInt16LE(0);
    const end = (header[2]! & SUB_FRAME_END) !== 0;
    const payloadWords = Math.ceil(length / 8);
    k++;
    if (payloadWords === 0) {
      r.framesDone++;
      if (end) r.beats.push({ bytes: Buffer.alloc(0), last: true });
      continue;
    }
    if (isLast) {
      r.truncated++;
      r.beats.push({ bytes: Buffer.alloc(0), last: true });
      return r;
    }
    for (let p = 0; p < payloadWords; p++, k++) {
      const finalWord = p === payloadWords - 1;
      const data = word(k);
      const keepBytes = finalWord ? length - 8 * p : 8;
      // the shell trusts the header for the final word's bytes; a short word still gives that many lanes
      const bytes = Buffer.alloc(keepBytes);
      data.copy(bytes, 0, 0, Math.min(keepBytes, data.length));
      const packetEnds = k === words - 1;
      if (finalWord) {
        r.beats.push({ bytes, last: end });
        r.framesDone++;
        break;
      }
      r.beats.push({ bytes, last: packetEnds });
      if (packetEnds) {
        r.truncated++;
        return r;
      }
    }
    k++;
  }
  return r;
}

/** An order packet from the card: the frame's bytes and whether the gate dropped it (cut-through egress). */
export function parseOrderPacket(packet: Uint8Array): { bytes: Buffer; dropped: boolean } {
  if (packet.length < ORDER_TRAILER_BYTES || packet.length % 8 !== 0) {
    throw new Error(`order packet of ${packet.length} bytes: expected a multiple of 8 with an 8-byte trailer`);
  }
  const buf = Buffer.from(packet.buffer, packet.byteOffset, packet.length);
  const trailer = packet.length - ORDER_TRAILER_BYTES;
  const length = buf.readUInt32LE(trailer);
  if (pad8(length) !== trailer) throw new Error(`order packet trailer says ${length} bytes, the packet holds ${trailer}`);
  return { bytes: buf.subarray(0, length), dropped: (buf[trailer + 4]! & ORDER_DROPPED) !== 0 };
}
