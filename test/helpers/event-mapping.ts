// A `decode itch` NDJSON line as the proto3 JSON mapping of its Event's body writes it: no kind, 64-bit
// integers as strings, null as the proto3 default (session) or absent (an error's seq).
export function lineAsMapping(text: string): Record<string, unknown> {
  const line = JSON.parse(text) as Record<string, unknown>;
  const kind = line.kind;
  delete line.kind;
  const str = (k: string) => { if (line[k] !== null && line[k] !== undefined) line[k] = String(line[k]); };
  if (line.session === null) line.session = '';
  if (kind === 'itch') { str('seq'); str('timestamp'); }
  if (kind === 'gap') { str('expected'); str('received'); }
  if (kind === 'error') { if (line.seq === null) delete line.seq; else str('seq'); }
  return line;
}
