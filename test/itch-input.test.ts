// What `tickgate decode itch` does with inputs as they come from real capture tools and real networks
// (DESIGN.md 3.3): nothing is dropped unseen. The summary line accounts for every frame; other UDP traffic
// never reaches the device (so it cannot evict a real session and hide its gaps); pcapng and Linux cooked
// captures read the same as pcap; anonymised captures show their drops; a raw MoldUDP64 stream with one
// wrong Message Count is taken up again at the next good header.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateItchSession, moldHeader, moldPacketize, pcapngOf, pcapOf, udpFrame, type CaptureRecord } from '../src/itch/generator.js';
import { feedPackets, noInputCounts } from '../src/itch/input.js';
import { FeedDecoder, feedLines } from '../src/itch/ref-decoder.js';
import { tempDir } from './helpers/session.js';

const run = promisify(execFile);
const CLI = path.resolve(__dirname, '..', 'bin', 'tickgate.js');

interface Summary {
  kind: 'summary'; frames: number; packets: number; messages: number; duplicatePackets: number; duplicateMessages: number;
  gaps: number; errors: number; otherTraffic: number; truncatedFrames: number;
}

/** Runs decode itch on both backends; demands identical stdout and stderr, and returns them. */
async function decodeBoth(dir: string, file: string, extra: string[] = []): Promise<{ stdout: string; summary: Summary; lines: Array<Record<string, unknown>> }> {
  const [sim, ref] = await Promise.all(['sim', 'ref'].map((backend) =>
    run(process.execPath, [CLI, 'decode', 'itch', '--backend', backend, ...extra, file], { cwd: dir, maxBuffer: 64 << 20 })));
  expect(sim!.stdout, `${file}: sim and ref stdout`).toBe(ref!.stdout);
  expect(sim!.stderr, `${file}: sim and ref stderr`).toBe(ref!.stderr);
  const errLines = sim!.stderr.trim().split('\n');
  expect(errLines).toHaveLength(1);
  const summary = JSON.parse(errLines[0]!) as Summary;
  expect(Object.keys(summary)).toEqual(['kind', 'frames', 'packets', 'messages', 'duplicatePackets', 'duplicateMessages', 'gaps', 'errors', 'otherTraffic', 'truncatedFrames']);
  const lines = sim!.stdout.trim() === '' ? [] : sim!.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  return { stdout: sim!.stdout, summary, lines };
}

const day = generateItchSession({ seed: 21, symbols: ['AAPL', 'MSFT', 'NVDA'], messages: 400 });
const dayPackets = moldPacketize(day, { session: '000012345A', firstSeq: 1, seed: 3 });
const messagesIn = (packets: Buffer[]) => packets.reduce((n, p) => n + p.readUInt16BE(18), 0);

/** UDP payloads that are not MoldUDP64: a DNS query, an NTP request, an SSDP search, each to its own port. */
const OTHER_UDP: Array<{ payload: Buffer; dst: [number, number, number, number]; dstPort: number }> = [
  { payload: Buffer.from('123401000001000000000000076578616d706c6503636f6d0000010001', 'hex'), dst: [127, 0, 0, 53], dstPort: 53 },
  { payload: Buffer.concat([Buffer.from([0x23]), Buffer.alloc(47)]), dst: [127, 0, 0, 123], dstPort: 123 },
  { payload: Buffer.from('M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n'), dst: [239, 255, 255, 250], dstPort: 1900 },
];

describe('decode itch: every frame accounted for', () => {
  let dir: string;
  beforeAll(() => { dir = tempDir('tickgate-input-'); });

  it('other UDP traffic is counted, never decoded, and cannot hide a real gap (many other streams before it)', async () => {
    const frames: CaptureRecord[] = [];
    const half = Math.floor(dayPackets.length / 2);
    dayPackets.slice(0, half).forEach((p) => frames.push({ data: udpFrame(p) }));
    // far more other streams than the device has session slots, DNS answers with varying ids among them
    for (let k = 0; k < 40; k++) {
      const o = OTHER_UDP[k % OTHER_UDP.length]!;
      const payload = Buffer.from(o.payload);
      payload.writeUInt16BE(k, 0);
      frames.push({ data: udpFrame(payload, { dst: o.dst, dstPort: o.dstPort }) });
    }
    const lost = dayPackets.slice(half, half + 5);
    dayPackets.slice(half + 5).forEach((p) => frames.push({ data: udpFrame(p) }));
    writeFileSync(path.join(dir, 'other.pcap'), pcapOf(frames));
    const { summary, lines } = await decodeBoth(dir, 'other.pcap');
    const first = lost[0]!.readBigUInt64BE(10);
    expect(lines.filter((l) => l.kind === 'gap')).toEqual([{ kind: 'gap', session: '000012345A', expected: Number(first), received: Number(first) + messagesIn(lost) }]);
    expect(lines.filter((l) => l.kind === 'error')).toEqual([]);
    expect(summary).toMatchObject({
      frames: frames.length, packets: dayPackets.length - 5, otherTraffic: 40, truncatedFrames: 0, gaps: 1, errors: 0,
      messages: day.length - messagesIn(lost), duplicatePackets: 0, duplicateMessages: 0,
    });
  });

  it('frames cut short by the snapshot length and IPv4 fragments are reported and counted as truncated; the loss shows as a gap', async () => {
    const frames: CaptureRecord[] = [];
    dayPackets.forEach((p, k) => {
      const data = udpFrame(p);
      if (k === 5) frames.push({ data: data.subarray(0, 60), originalLength: data.length });
      else if (k === 9) frames.push({ data: udpFrame(p, { fragment: 0x2000 }) });   // more fragments follow
      else if (k === 10) frames.push({ data: udpFrame(p.subarray(0, 8), { fragment: 0x0010 }) });   // a later fragment
      else frames.push({ data });
    });
    writeFileSync(path.join(dir, 'snap.pcap'), pcapOf(frames));
    const { summary, lines } = await decodeBoth(dir, 'snap.pcap');
    // the cut frame's 18 bytes of payload reached the framer before its end was known (cut-through): a short
    // packet, then the frame's own error; the fragments are refused whole
    expect(summary).toMatchObject({ frames: dayPackets.length, truncatedFrames: 3, otherTraffic: 0, packets: dayPackets.length - 2, gaps: 2 });
    expect(lines.filter((l) => l.kind === 'error').map((l) => l.error)).toEqual(['short_packet', 'truncated_frame', 'ip_fragment', 'ip_fragment']);
    expect(summary.frames).toBe(summary.packets + summary.otherTraffic + summary.truncatedFrames - 1);
    expect(lines.filter((l) => l.kind === 'gap').map((l) => l.received as number - (l.expected as number)))
      .toEqual([dayPackets[5]!.readUInt16BE(18), dayPackets[9]!.readUInt16BE(18) + dayPackets[10]!.readUInt16BE(18)]);
  });

  it('reads pcapng (both byte orders, enhanced and simple packet blocks) and Linux cooked captures like the pcap', async () => {
    const frames = dayPackets.map((p) => ({ data: udpFrame(p, { vlan: 7 }) }));
    writeFileSync(path.join(dir, 'day.pcap'), pcapOf(frames));
    writeFileSync(path.join(dir, 'le.pcapng'), pcapngOf(frames));
    writeFileSync(path.join(dir, 'be.pcapng'), pcapngOf(frames, { bigEndian: true }));
    writeFileSync(path.join(dir, 'spb.pcapng'), pcapngOf(frames, { simple: true }));
    // Linux cooked v1: 16-byte header, protocol in its last two bytes
    const sll = dayPackets.map((p) => {
      const eth = udpFrame(p);
      const header = Buffer.alloc(16);
      header.writeUInt16BE(0x0800, 14);
      return { data: Buffer.concat([header, eth.subarray(14)]) };
    });
    writeFileSync(path.join(dir, 'any.pcapng'), pcapngOf(sll, { linkType: 113 }));
    const want = await decodeBoth(dir, 'day.pcap');
    expect(want.lines.filter((l) => l.kind === 'itch')).toHaveLength(day.length);
    for (const file of ['le.pcapng', 'be.pcapng', 'spb.pcapng', 'any.pcapng']) {
      const got = await decodeBoth(dir, file);
      expect(got.stdout, file).toBe(want.stdout);
      expect(got.summary, file).toEqual(want.summary);
    }
  });

  it('a capture cut off inside its last record counts that frame as truncated; an impossible record length is damage', async () => {
    const frames = dayPackets.slice(0, 10).map((p) => ({ data: udpFrame(p) }));
    for (const [name, file] of [['cut.pcap', pcapOf(frames)], ['cut.pcapng', pcapngOf(frames)]] as const) {
      for (const keep of [9, 40]) {       // inside the record header, inside the frame
        writeFileSync(path.join(dir, name), file.subarray(0, file.length - udpFrame(dayPackets[9]!).length - 16 + keep));
        const { summary } = await decodeBoth(dir, name);
        expect(summary, `${name} ${keep}`).toMatchObject({ frames: 10, packets: 9, truncatedFrames: 1 });
      }
    }
    const damaged = pcapOf(frames);
    damaged.writeUInt32LE(0x7fffffff, 24 + 8);     // the first record's captured length
    writeFileSync(path.join(dir, 'damaged.pcap'), damaged);
    const r = await run(process.execPath, [CLI, 'decode', 'itch', '--backend', 'ref', 'damaged.pcap'], { cwd: dir }).catch((e: { code: number; stderr: string }) => e);
    expect((r as { code: number }).code).toBe(2);
    expect((r as { stderr: string }).stderr).toBe('tickgate: pcap record at byte 24 claims 2147483647 bytes, more than any frame (262144): the file is damaged\n');
    // damage after good records: those are printed first
    const late = pcapOf(frames);
    late.writeUInt32LE(0x7fffffff, late.length - udpFrame(dayPackets[9]!).length - 16 + 8);
    writeFileSync(path.join(dir, 'late.pcap'), late);
    const l = await run(process.execPath, [CLI, 'decode', 'itch', '--backend', 'sim', 'late.pcap'], { cwd: dir }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect((l as { code: number }).code).toBe(2);
    expect((l as { stdout: string }).stdout.trim().split('\n')).toHaveLength(messagesIn(dayPackets.slice(0, 9)));
    expect((l as { stderr: string }).stderr).toMatch(/"frames":9,"packets":9,.*\ntickgate: pcap record at byte \d+ claims 2147483647 bytes/);
  });

  it('--line selects the streams the device takes; lines A and B carrying the same packets give every message once', async () => {
    const lineA = { dst: [233, 54, 12, 111] as [number, number, number, number], dstPort: 26_477 };
    const lineB = { dst: [233, 49, 196, 111] as [number, number, number, number], dstPort: 26_477 };
    const otherFeed = moldPacketize(generateItchSession({ seed: 5, symbols: ['XYZ'], messages: 50 }), { session: '000099999Z', firstSeq: 1, seed: 4 });
    const frames: CaptureRecord[] = [];
    dayPackets.forEach((p, k) => {
      if (k % 7 !== 3) frames.push({ data: udpFrame(p, { ...lineA, udpChecksum: true }) });   // line A loses every 7th
      frames.push({ data: udpFrame(p, { ...lineB, vlan: 12 }) });
      const o = otherFeed[k];
      if (o) frames.push({ data: udpFrame(o, { dst: [233, 54, 12, 111], dstPort: 26_478 }) });   // another feed on the group
    });
    writeFileSync(path.join(dir, 'lines.pcap'), pcapOf(frames));
    const onlyA = await decodeBoth(dir, 'lines.pcap', ['--line', 'A=233.54.12.111:26477']);
    const aPackets = dayPackets.filter((_, k) => k % 7 !== 3);
    expect(onlyA.summary).toMatchObject({ frames: frames.length, packets: aPackets.length, otherTraffic: frames.length - aPackets.length, errors: 0 });
    expect(onlyA.lines.filter((l) => l.kind === 'gap').length).toBeGreaterThan(0);
    const both = await decodeBoth(dir, 'lines.pcap', ['--line', 'A=233.54.12.111:26477', '--line', 'b=233.49.196.111:26477']);
    expect(both.lines.filter((l) => l.kind === 'itch')).toHaveLength(day.length);
    expect(both.lines.filter((l) => l.kind !== 'itch')).toEqual([]);
    expect(both.summary).toMatchObject({ packets: aPackets.length + dayPackets.length, messages: day.length, duplicateMessages: messagesIn(aPackets), gaps: 0 });
    // without --line every UDP stream is taken: both lines and the other feed
    const all = await decodeBoth(dir, 'lines.pcap');
    expect(all.summary).toMatchObject({ packets: frames.length, otherTraffic: 0 });
    for (const bad of ['C=233.54.12.111:26477', 'A=233.54.12.300:26477', 'A=233.54.12.111', 'A=233.54.12.111:0']) {
      const r = await run(process.execPath, [CLI, 'decode', 'itch', '--backend', 'ref', '--line', bad, 'lines.pcap'], { cwd: dir }).catch((e: { code: number; stderr: string }) => e);
      expect((r as { code: number }).code, bad).toBe(2);
      expect((r as { stderr: string }).stderr, bad).toContain(`--line: "${bad}"`);
    }
  });

  it('lines A and B, each losing packets the other brings and line B running three packets behind, arbitrated on the device: every message once, one gap where both lost', async () => {
    const lineA = { dst: [233, 54, 12, 111] as [number, number, number, number], dstPort: 26_477 };
    const lineB = { dst: [233, 49, 196, 111] as [number, number, number, number], dstPort: 26_477 };
    const lostA = (k: number) => k % 9 === 4 || k === 30;
    const lostB = (k: number) => k % 11 === 6 || k === 30;
    const frames: CaptureRecord[] = [];
    for (let k = 0; k < dayPackets.length + 3; k++) {
      const a = dayPackets[k];
      if (a && !lostA(k)) frames.push({ data: udpFrame(a, lineA) });
      const b = dayPackets[k - 3];
      if (b && !lostB(k - 3)) frames.push({ data: udpFrame(b, { ...lineB, vlan: 12 }) });
    }
    writeFileSync(path.join(dir, 'ab.pcap'), pcapOf(frames));
    const lines = ['--line', 'A=233.54.12.111:26477', '--line', 'B=233.49.196.111:26477'];
    const both = await decodeBoth(dir, 'ab.pcap', lines);
    const lostBoth = messagesIn([dayPackets[30]!]);
    const itch = both.lines.filter((l) => l.kind === 'itch');
    expect(itch).toHaveLength(day.length - lostBoth);
    expect(itch.map((l) => l.seq)).toEqual([...Array(day.length).keys()].map((i) => i + 1).filter((seq) => {
      const first = 1 + messagesIn(dayPackets.slice(0, 30));
      return seq < first || seq >= first + lostBoth;
    }));
    expect(both.lines.filter((l) => l.kind !== 'itch')).toEqual([{ kind: 'gap', session: '000012345A', expected: 1 + messagesIn(dayPackets.slice(0, 30)), received: 1 + messagesIn(dayPackets.slice(0, 31)) }]);
    expect(both.summary).toMatchObject({ messages: day.length - lostBoth, gaps: 1, errors: 0 });
    // line A alone: every run of packets A lost is a gap
    const onlyA = await decodeBoth(dir, 'ab.pcap', lines.slice(0, 2));
    expect(onlyA.summary.gaps).toBe(dayPackets.filter((_, k) => lostA(k) && !lostA(k - 1)).length);
  });

  it('a capture of a link type it cannot read is refused naming the link type', async () => {
    writeFileSync(path.join(dir, 'wifi.pcapng'), pcapngOf([{ data: Buffer.alloc(64) }], { linkType: 105 }));
    const r = await run(process.execPath, [CLI, 'decode', 'itch', '--backend', 'ref', 'wifi.pcapng'], { cwd: dir }).catch((e: { code: number; stderr: string }) => e);
    expect((r as { code: number }).code).toBe(2);
    expect((r as { stderr: string }).stderr).toMatch(/^tickgate: pcapng interface 0 has link type 105; tickgate reads Ethernet/);
  });

  it('an anonymised capture (sessions of NUL bytes, sequence 0 in every packet) shows its drops as duplicates', async () => {
    const anon = dayPackets.slice(0, 30).map((p) => {
      const q = Buffer.from(p);
      q.fill(0, 0, 18);
      return q;
    });
    writeFileSync(path.join(dir, 'anon.pcap'), pcapOf(anon.map((p) => ({ data: udpFrame(p) }))));
    const { summary, lines } = await decodeBoth(dir, 'anon.pcap');
    // every packet claims number 0: a packet delivers only the messages past the largest count before it
    let most = 0;
    let duplicatePackets = 0;
    for (const p of anon) {
      const count = p.readUInt16BE(18);
      if (count <= most) duplicatePackets++;
      most = Math.max(most, count);
    }
    const delivered = lines.filter((l) => l.kind === 'itch').length;
    expect(delivered).toBe(most);
    expect(duplicatePackets).toBeGreaterThan(20);
    expect(summary).toMatchObject({ frames: 30, packets: 30, messages: delivered, duplicatePackets, otherTraffic: 0 });
    expect(summary.messages + summary.duplicateMessages).toBe(messagesIn(anon));
  });
});

describe('decode itch: a raw MoldUDP64 stream resynchronises after a packet with a wrong Message Count', () => {
  for (const [what, delta] of [['too small', -1], ['too large', +2]] as const) {
    it(`count ${what}: later packets are all decoded, the broken packet is reported`, async () => {
      const dir = tempDir('tickgate-mold-');
      const packets = dayPackets.slice(0, 60).map((p) => Buffer.from(p));
      const k = 20;
      const broken = packets[k]!;
      const count = broken.readUInt16BE(18);
      expect(count).toBeGreaterThan(1);
      broken.writeUInt16BE(count + delta, 18);
      writeFileSync(path.join(dir, 'broken.mold'), Buffer.concat(packets));
      const { summary, lines } = await decodeBoth(dir, 'broken.mold');

      // every message of every other packet is there, once
      const expectedSeqs = packets.flatMap((p, i) => {
        if (i === k) return [];
        const first = Number(p.readBigUInt64BE(10));
        return Array.from({ length: p.readUInt16BE(18) }, (_, m) => first + m);
      });
      const seqs = lines.filter((l) => l.kind === 'itch').map((l) => l.seq as number);
      expect(new Set(seqs).size).toBe(seqs.length);
      const errors = lines.filter((l) => l.kind === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]!.error).toBe(delta < 0 ? 'trailing_bytes' : 'truncated_packet');
      // A count too large makes the device take the numbers it claims as lost in the broken packet (its
      // truncated_packet record names the first); the next packet's first messages with those numbers are
      // then counted as duplicates. Those, and only those, are missing from the output.
      const missing = expectedSeqs.filter((q) => !seqs.includes(q));
      const claimed = Number(broken.readBigUInt64BE(10)) + count;
      expect(missing).toEqual(delta < 0 ? [] : Array.from({ length: delta }, (_, m) => claimed + m));
      if (delta > 0) expect(errors[0]!.seq).toBe(claimed);
      expect(summary.duplicateMessages).toBe(Math.max(0, delta));
      expect(summary.packets).toBe(packets.length);

      const counts = noInputCounts();
      expect([...feedPackets(Buffer.concat(packets), counts)]).toHaveLength(packets.length);
      expect(counts.resyncs).toBe(1);
    });
  }

  it('garbage between packets is handed over as one broken packet and the stream goes on', async () => {
    const dir = tempDir('tickgate-mold-');
    const packets = dayPackets.slice(0, 30);
    const stream = Buffer.concat([...packets.slice(0, 10), Buffer.concat([moldHeader('000012345A', 1, 3), Buffer.from('not an itch message at all')]), ...packets.slice(10)]);
    writeFileSync(path.join(dir, 'garbage.mold'), stream);
    const { lines } = await decodeBoth(dir, 'garbage.mold');
    expect(lines.filter((l) => l.kind === 'itch')).toHaveLength(messagesIn(packets));
    expect(lines.filter((l) => l.kind === 'error').map((l) => l.error)).toEqual(['truncated_packet']);
    expect(feedLines(new FeedDecoder().packet(packets[0]!))[0]).toBe(JSON.stringify(lines[0]));
  });
});
