// A FIX data dictionary in QuickFIX's XML format (the files jspurefix ships under MIT in its data/ folder):
// fields with types and enumerations, the header and trailer, and every message with its members, where
// components are expanded in place and repeating groups keep their member order.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';

export type BeginString = 'FIX.4.2' | 'FIX.4.4' | 'FIXT.1.1';
export const BEGIN_STRINGS: readonly BeginString[] = ['FIX.4.2', 'FIX.4.4', 'FIXT.1.1'];

export interface FieldDef {
  tag: number;
  name: string;
  type: string;
  /** Allowed values, when the dictionary lists them. */
  values: ReadonlySet<string> | null;
}

export type MemberDef =
  | { kind: 'field'; tag: number; required: boolean }
  | { kind: 'group'; tag: number; required: boolean; members: MemberDef[] };

export interface MessageDef {
  msgType: string;
  name: string;
  admin: boolean;
  members: MemberDef[];
  /** Every tag the message may carry in its body, group members included. */
  tags: ReadonlySet<number>;
}

/** The file of each BeginString. FIXT.1.1 sessions carry FIX.5.0SP2 application messages; jspurefix's
 *  FIX50SP2.xml holds the FIXT session messages and header as well. */
const FILES: Record<BeginString, string> = {
  'FIX.4.2': 'FIX42.xml',
  'FIX.4.4': 'FIX44.xml',
  'FIXT.1.1': 'FIX50SP2.xml',
};

interface XmlNode {
  [name: string]: XmlNode[] | Record<string, string> | string | undefined;
}

const childrenOf = (node: XmlNode): XmlNode[] => {
  const name = Object.keys(node).find((k) => k !== ':@')!;
  return (node[name] as XmlNode[]) ?? [];
};
const nameOf = (node: XmlNode): string => Object.keys(node).find((k) => k !== ':@')!;
const attrsOf = (node: XmlNode): Record<string, string> => (node[':@'] as Record<string, string>) ?? {};

export class FixDictionary {
  readonly fieldsByTag = new Map<number, FieldDef>();
  readonly messages = new Map<string, MessageDef>();
  readonly headerTags: ReadonlySet<number>;
  readonly trailerTags: ReadonlySet<number>;
  readonly header: MemberDef[];

  private static cache = new Map<string, FixDictionary>();

  static forBeginString(beginString: BeginString): FixDictionary {
    const file = FixDictionary.dataFile(FILES[beginString]);
    let dict = FixDictionary.cache.get(file);
    if (!dict) {
      dict = FixDictionary.fromXml(readFileSync(file, 'utf8'), file);
      FixDictionary.cache.set(file, dict);
    }
    return dict;
  }

  static dataFile(name: string): string {
    const require = createRequire(import.meta.url);
    return path.join(path.dirname(require.resolve('jspurefix/package.json')), 'data', name);
  }

  static fromXml(xml: string, source = 'dictionary'): FixDictionary {
    const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '' });
    const doc = parser.parse(xml) as XmlNode[];
    const root = doc.find((n) => nameOf(n) === 'fix');
    if (!root) throw new Error(`${source}: no <fix> element`);
    const sections = new Map(childrenOf(root).map((n) => [nameOf(n), n]));
    return new FixDictionary(sections, source);
  }

  private constructor(sections: Map<string, XmlNode>, source: string) {
    const need = (name: string): XmlNode => {
      const s = sections.get(name);
      if (!s) throw new Error(`${source}: no <${name}> section`);
      return s;
    };
    const tagByName = new Map<string, number>();
    for (const f of childrenOf(need('fields'))) {
      if (nameOf(f) !== 'field') continue;
      const a = attrsOf(f);
      const values = childrenOf(f).filter((v) => nameOf(v) === 'value').map((v) => attrsOf(v).enum!);
      const def: FieldDef = { tag: Number(a.number), name: a.name!, type: a.type!, values: values.length ? new Set(values) : null };
      this.fieldsByTag.set(def.tag, def);
      tagByName.set(def.name, def.tag);
    }
    const components = new Map<string, XmlNode>();
    for (const c of childrenOf(sections.get('components') ?? { components: [] })) {
      if (nameOf(c) === 'component') components.set(attrsOf(c).name!, c);
    }
    const expand = (nodes: XmlNode[], seen: string[]): MemberDef[] => {
      const out: MemberDef[] = [];
      for (const n of nodes) {
        const kind = nameOf(n);
        const a = attrsOf(n);
        const required = a.required === 'Y';
        if (kind === 'field') {
          const tag = tagByName.get(a.name!);
          if (tag === undefined) throw new Error(`${source}: field ${a.name} is not defined`);
          out.push({ kind: 'field', tag, required });
        } else if (kind === 'group') {
          const tag = tagByName.get(a.name!);
          if (tag === undefined) throw new Error(`${source}: group counter ${a.name} is not defined`);
          out.push({ kind: 'group', tag, required, members: expand(childrenOf(n), seen) });
        } else if (kind === 'component') {
          const c = components.get(a.name!);
          if (!c) throw new Error(`${source}: component ${a.name} is not defined`);
          if (seen.includes(a.name!)) throw new Error(`${source}: component ${a.name} contains itself`);
          // A component's members are required only when the component is.
          const members = expand(childrenOf(c), [...seen, a.name!]);
          out.push(...(required ? members : members.map((m) => ({ ...m, required: false }))));
        }
      }
      return out;
    };
    this.header = expand(childrenOf(need('header')), []);
    this.headerTags = new Set(allTags(this.header));
    this.trailerTags = new Set(allTags(expand(childrenOf(need('trailer')), [])));
    for (const m of childrenOf(need('messages'))) {
      if (nameOf(m) !== 'message') continue;
      const a = attrsOf(m);
      const members = expand(childrenOf(m), []);
      this.messages.set(a.msgtype!, { msgType: a.msgtype!, name: a.name!, admin: a.msgcat === 'admin', members, tags: new Set(allTags(members)) });
    }
  }

  field(tag: number): FieldDef | undefined { return this.fieldsByTag.get(tag); }
  message(msgType: string): MessageDef | undefined { return this.messages.get(msgType); }
  isHeader(tag: number): boolean { return this.headerTags.has(tag); }
  isTrailer(tag: number): boolean { return this.trailerTags.has(tag); }
}

function allTags(members: MemberDef[]): number[] {
  return members.flatMap((m) => (m.kind === 'field' ? [m.tag] : [m.tag, ...allTags(m.members)]));
}
