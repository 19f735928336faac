// NASDAQ TotalView-ITCH 5.0: every message type, its length and its fields at their fixed offsets, in the
// specification's order and with its names (punctuation dropped, lowerCamelCase). Big-endian integers.
// The table itself is spec/itch.yaml (generated into ./generated/itch-spec.ts, and into the RTL).
// Every message starts with Message Type (1), Stock Locate (2), Tracking Number (2), Timestamp (6, ns since
// midnight). One table drives the golden decoder, the generator and the device's record layout.
import { ITCH_HEADER_FIELDS, ITCH_SPEC } from './generated/itch-spec.js';

/** How a field is read and printed (DESIGN.md 3.3): alpha is right-padded ASCII, trimmed; integers of 8
 *  bytes print as decimal strings, smaller ones and the 6-byte timestamp as numbers; prices stay integers
 *  in the specification's units (4 decimal places, or 8 for the MWCB levels). */
export type FieldKind = 'alpha' | 'uint';

export interface ItchField {
  name: string;
  offset: number;
  size: number;
  kind: FieldKind;
}

export interface ItchMessageType {
  type: string;
  name: string;
  length: number;
  fields: ItchField[];
}

type Spec = ReadonlyArray<readonly [name: string, size: number, kind?: FieldKind]>;

const HEADER: Spec = ITCH_HEADER_FIELDS;
function layout(fields: Spec): ItchField[] {
  let offset = 1;
  return [...HEADER, ...fields].map(([name, size, kind]) => {
    const f = { name, offset, size, kind: kind ?? 'uint' };
    offset += size;
    return f;
  });
}

export const ITCH_TYPES: ReadonlyMap<string, ItchMessageType> = new Map(ITCH_SPEC.map(({ type, name, fields }) => {
  const f = layout(fields);
  const last = f[f.length - 1]!;
  return [type, { type, name, length: last.offset + last.size, fields: f }];
}));

/** The length of a message of this type byte, or undefined for a type ITCH 5.0 does not have. */
export function itchLength(typeByte: number): number | undefined {
  return ITCH_TYPES.get(String.fromCharCode(typeByte))?.length;
}
