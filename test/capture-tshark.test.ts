// The capture reader against the reference: Wireshark's tshark reads the same generated captures (pcap and
// pcapng in both byte orders, Simple Packet Blocks, Linux cooked, VLAN stacks, other traffic, frames cut
// short, IPv4 fragments, broken MoldUDP64), and for every frame the reader must see what tshark sees: a
// whole UDP datagram with the same payload, a frame cut short or fragmented, or something else.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { frameContent, pcapFrames, pcapngFrames } from '../src/itch/capture.js';
import { generateItchSession, moldPacketize, pcapngOf, pcapOf, prng, udpFrame, type CaptureRecord } from '../src/itch/generator.js';
import { tempDir } from './helpers/session.js';

function tshark(): string {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('tshark is missing: run `apt-get install tshark` (npm test installs it as root)');
  }
  return 'tshark';
}

/** What tshark makes of each frame: truncated (cut short or a fragment), a UDP payload, or other. */
function tsharkView(file: string): string[] {
  const out = execFileSync(tshark(), ['-r', file, '-o', 'ip.defragment:FALSE', '-T', 'fields',
    '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'ip.flags.mf', '-e', 'ip.frag_offset', '-e', 'udp.payload', '-E', 'separator=/t'],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
  return out.split('\n').filter((l) => l !== '').map((line) => {
    const [len, capLen, mf, offset, payload] = line.split('\t');
    if (Number(capLen) < Number(len)) return 'truncated';
    // a frame of a stacked VLAN carries the fields once per layer; the IPv4 layer is the one that counts
    if (mf?.split(',').includes('1') || (offset ?? '').split(',').some((o) => o !== '' && o !== '0')) return 'truncated';
    return payload ? `udp ${payload.replace(/:/g, '')}` : 'other';
  });
}

/** What our reader makes of each frame of the same file. */
function ourView(file: Buffer, format: 'pcap' | 'pcapng'): string[] {
  return [...(format === 'pcap' ? pcapFrames(file) : pcapngFrames(file))].map((f) => {
    const c = frameContent(f);
    return c.kind === 'udp' ? `udp ${c.payload.toString('hex')}` : c.kind;
  });
}

/** A mix of frames: MoldUDP64 packets (some broken), other UDP, ARP, IPv6, TCP, VLAN stacks, cut-short
 *  frames and fragments. */
function mixedFrames(seed: number): CaptureRecord[] {
  const r = prng(seed);
  const day = moldPacketize(generateItchSession({ seed, symbols: ['AAPL', 'MSFT'], messages: 300 }), { session: 'TSHARK0001', firstSeq: 1, seed });
  const frames: CaptureRecord[] = [];
  for (const p of day) {
    const pick = r();
    if (pick < 0.55) frames.push({ data: udpFrame(p, { vlan: r() < 0.3 ? 100 : undefined }) });
    else if (pick < 0.6) {
      const f = udpFrame(p, { vlan: 7 });
      frames.push({ data: Buffer.concat([f.subarray(0, 12), Buffer.from([0x88, 0xa8, 0, 3]), f.subarray(12)]) });   // 802.1ad + 802.1Q
    } else if (pick < 0.67) {
      const f = udpFrame(p);
      frames.push({ data: f.subarray(0, 14 + Math.floor(r() * (f.length - 14))), originalLength: f.length });
    } else if (pick < 0.72) frames.push({ data: udpFrame(p, { fragment: r() < 0.5 ? 0x2000 : 0x0040 }) });
    else if (pick < 0.78) frames.push({ data: udpFrame(p.subarray(0, Math.floor(r() * p.length))) });           // broken packet
    else if (pick < 0.84) frames.push({ data: udpFrame(Buffer.from('M-SEARCH * HTTP/1.1\r\n\r\n'), { dst: [239, 255, 255, 250], dstPort: 1900 }) });
    else if (pick < 0.88) frames.push({ data: Buffer.concat([Buffer.alloc(12, 0xff), Buffer.from([0x08, 0x06]), Buffer.alloc(28, 1)]) });   // ARP
    else if (pick < 0.92) frames.push({ data: Buffer.concat([Buffer.alloc(12, 2), Buffer.from([0x86, 0xdd]), Buffer.from('6000000000081140', 'hex'), Buffer.alloc(32, 0), Buffer.from('9c4067200008ffff', 'hex')]) });   // IPv6/UDP
    else {
      const f = udpFrame(p);
      f[14 + 9] = 6;    // TCP
      frames.push({ data: f });
    }
  }
  return frames;
}

describe('capture reader against tshark', () => {
  const dir = tempDir('tickgate-tshark-');

  it.each([
    ['pcap', 'pcap' as const, (f: CaptureRecord[]) => pcapOf(f)],
    ['pcapng, little-endian', 'pcapng' as const, (f: CaptureRecord[]) => pcapngOf(f)],
    ['pcapng, big-endian', 'pcapng' as const, (f: CaptureRecord[]) => pcapngOf(f, { bigEndian: true })],
    // a Simple Packet Block has no captured length: frames are cut short by the snap length alone
    ['pcapng, Simple Packet Blocks', 'pcapng' as const, (f: CaptureRecord[]) => pcapngOf(f, { simple: true, snapLength: 96 })],
  ])('%s: every frame read as tshark reads it', (name, format, write) => {
    const frames = mixedFrames(name.length).filter((f) => !name.includes('Simple') || f.originalLength === undefined);
    const file = write(frames);
    const at = path.join(dir, `${name.replace(/[^a-z]+/g, '-')}.${format}`);
    writeFileSync(at, file);
    const ours = ourView(file, format);
    const theirs = tsharkView(at);
    expect(ours).toHaveLength(frames.length);
    expect(ours).toEqual(theirs);
    // the mix holds every kind, so the comparison means something
    expect(new Set(ours.map((v) => v.split(' ')[0]))).toEqual(new Set(['udp', 'truncated', 'other']));
  });

  it('Linux cooked captures (tcpdump -i any) read as tshark reads them', () => {
    const frames = mixedFrames(9).map((f) => {
      const header = Buffer.alloc(16);
      header.writeUInt16BE(f.data.readUInt16BE(12), 14);    // the EtherType (or VLAN TPID) moves into the cooked header
      return { data: Buffer.concat([header, f.data.subarray(14)]), originalLength: f.originalLength === undefined ? undefined : f.originalLength + 2 };
    });
    const file = pcapngOf(frames, { linkType: 113 });
    const at = path.join(dir, 'cooked.pcapng');
    writeFileSync(at, file);
    expect(ourView(file, 'pcapng')).toEqual(tsharkView(at));
  });
});
