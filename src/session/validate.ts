// Checks a received message against the data dictionary, as FIX Session Layer Test Case 14 asks, and names
// the first problem as a SessionRejectReason (373). The framing (8, 9, 35 first; 10 last; BodyLength and
// CheckSum) was checked by the device already.
import type { FixDictionary, MemberDef } from './dictionary.js';

export const REJECT_REASON = {
  invalidTag: 0,
  requiredTagMissing: 1,
  tagNotDefinedForMessage: 2,
  tagWithoutValue: 4,
  valueOutOfRange: 5,
  incorrectDataFormat: 6,
  compIdProblem: 9,
  sendingTimeAccuracy: 10,
  invalidMsgType: 11,
  repeatedTag: 13,
  tagOutOfOrder: 14,
  groupFieldsOutOfOrder: 15,
  incorrectNumInGroup: 16,
} as const;

export interface Violation {
  reason: number;
  tag?: number;
  text: string;
}

const INT = /^-?\d+$/;
const FLOAT = /^-?(\d+(\.\d*)?|\.\d+)$/;
const FORMATS: Record<string, RegExp> = {
  INT, LENGTH: INT, SEQNUM: INT, NUMINGROUP: INT, DAYOFMONTH: INT, TAGNUM: INT,
  FLOAT, QTY: FLOAT, PRICE: FLOAT, PRICEOFFSET: FLOAT, AMT: FLOAT, PERCENTAGE: FLOAT,
  BOOLEAN: /^[YN]$/,
  CHAR: /^[\s\S]$/,
  UTCTIMESTAMP: /^\d{8}-\d{2}:\d{2}:\d{2}(\.\d{3}(\d{3})?)?$/,
  UTCTIMEONLY: /^\d{2}:\d{2}:\d{2}(\.\d{3}(\d{3})?)?$/,
  UTCDATEONLY: /^\d{8}$/,
  UTCDATE: /^\d{8}$/,
  LOCALMKTDATE: /^\d{8}$/,
  MONTHYEAR: /^\d{6}(\d{2}|w\d)?$/,
};

type Fields = ReadonlyArray<readonly [number, string]>;

export function validateMessage(dict: FixDictionary, fields: Fields): Violation | null {
  const msgType = fields[2]?.[1] ?? '';
  const message = dict.message(msgType);
  if (!message) return { reason: REJECT_REASON.invalidMsgType, text: 'Invalid MsgType' };

  let section = 0; // 0 header, 1 body, 2 trailer
  for (let i = 3; i < fields.length; i++) {
    const [tag, value] = fields[i]!;
    const def = dict.field(tag);
    if (!def) return { reason: REJECT_REASON.invalidTag, tag, text: 'Invalid tag number' };
    const where = dict.isHeader(tag) ? 0 : dict.isTrailer(tag) ? 2 : 1;
    if (where < section) return { reason: REJECT_REASON.tagOutOfOrder, tag, text: 'Tag specified out of required order' };
    section = where;
    if (value === '') return { reason: REJECT_REASON.tagWithoutValue, tag, text: 'Tag specified without a value' };
    const format = FORMATS[def.type];
    if (format && !format.test(value)) return { reason: REJECT_REASON.incorrectDataFormat, tag, text: 'Incorrect data format for value' };
    if (def.values) {
      const parts = def.type === 'MULTIPLEVALUESTRING' || def.type === 'MULTIPLECHARVALUE' ? value.split(' ') : [value];
      if (parts.some((p) => !def.values!.has(p))) return { reason: REJECT_REASON.valueOutOfRange, tag, text: 'Value is incorrect (out of range) for this tag' };
    }
    if (where === 1 && !message.tags.has(tag)) return { reason: REJECT_REASON.tagNotDefinedForMessage, tag, text: 'Tag not defined for this message type' };
  }

  const header = fields.filter(([t]) => dict.isHeader(t));
  const body = fields.slice(3).filter(([t]) => !dict.isHeader(t) && !dict.isTrailer(t));
  return checkLevel(dict.header, header, true) ?? checkLevel(message.members, body, true);
}

/** A level's groups by tag, and each member's place in the level: made once per level of the dictionary
 *  (an ExecutionReport's level has a hundred members; every received message walks it). */
interface LevelIndex {
  groups: Map<number, MemberDef & { kind: 'group' }>;
  order: Map<number, number>;
}
const levelIndexes = new WeakMap<MemberDef[], LevelIndex>();

function levelIndex(members: MemberDef[]): LevelIndex {
  let index = levelIndexes.get(members);
  if (!index) {
    const groups = new Map<number, MemberDef & { kind: 'group' }>();
    for (const m of members) if (m.kind === 'group') groups.set(m.tag, m);
    index = { groups, order: new Map(members.map((m, k) => [m.tag, k])) };
    levelIndexes.set(members, index);
  }
  return index;
}

/** Walks one level of members: repeated tags, group instance counts, required fields. */
function checkLevel(members: MemberDef[], fields: Fields, top: boolean): Violation | null {
  // Inside a group instance the members come in the dictionary's order, the delimiter first (373=15).
  const { groups, order } = levelIndex(members);
  const seen = new Set<number>();
  let last = -1;
  let i = 0;
  while (i < fields.length) {
    const [tag, value] = fields[i]!;
    if (seen.has(tag)) return { reason: REJECT_REASON.repeatedTag, tag, text: 'Tag appears more than once' };
    seen.add(tag);
    if (!top) {
      const at = order.get(tag) ?? -1;
      if (at < last || (i === 0 && at !== 0)) return { reason: REJECT_REASON.groupFieldsOutOfOrder, tag, text: 'Repeating group fields out of order' };
      last = at;
    }
    i++;
    const group = groups.get(tag);
    if (!group) continue;
    const end = groupEnd(group, fields, i);
    const instances = splitInstances(group, fields.slice(i, end));
    if (instances.length !== Number(value)) {
      return { reason: REJECT_REASON.incorrectNumInGroup, tag, text: 'Incorrect NumInGroup count for repeating group' };
    }
    for (const instance of instances) {
      const v = checkLevel(group.members, instance, false);
      if (v) return v;
    }
    i = end;
  }
  // Required members: of the message (header, body) and of every group instance.
  for (const m of members) {
    if (m.required && !seen.has(m.tag)) return { reason: REJECT_REASON.requiredTagMissing, tag: m.tag, text: 'Required tag missing' };
  }
  return null;
}

function memberTags(members: MemberDef[], into = new Set<number>()): Set<number> {
  for (const m of members) {
    into.add(m.tag);
    if (m.kind === 'group') memberTags(m.members, into);
  }
  return into;
}

/** The index after the last field that belongs to the group starting at `from`. */
function groupEnd(group: MemberDef & { kind: 'group' }, fields: Fields, from: number): number {
  const tags = memberTags(group.members);
  let i = from;
  while (i < fields.length && tags.has(fields[i]![0])) i++;
  return i;
}

/** Instances start at the group's first member (the delimiter). */
function splitInstances(group: MemberDef & { kind: 'group' }, fields: Fields): Fields[] {
  const delimiter = group.members[0]?.tag;
  const out: Array<Array<readonly [number, string]>> = [];
  for (const f of fields) {
    if (f[0] === delimiter || out.length === 0) out.push([]);
    out[out.length - 1]!.push(f);
  }
  return out;
}
