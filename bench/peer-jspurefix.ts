// jspurefix, a real JavaScript FIX engine, parsing the same bytes as our golden model, for comparison.
// "view": tokenise, find the structure, build the message view; "object": also materialise every message.
import { createRequire } from 'node:module';
import path from 'node:path';
import { median } from './stats.js';

const require = createRequire(import.meta.url);

interface Parser {
  on(event: 'msg', fn: (msgType: string, view: { toObject(): unknown }) => void): void;
  parseBuffer(b: Buffer): void;
}

async function makeParser(onMessage: (view: { toObject(): unknown }) => void): Promise<Parser> {
  require('reflect-metadata');
  const jf = require('jspurefix');
  const { makeSessionScope } = require('jspurefix/dist/runtime/session-scope');
  const root = path.dirname(require.resolve('jspurefix/package.json'));
  const system = new jf.SessionContainer();
  system.registerGlobal('error');
  const container = await system.makeSystem(require(path.join(root, 'data', 'session', 'test-initiator.json')));
  const config = container.resolve(jf.DITokens.IJsFixConfig);
  config.definitions = await new jf.DefinitionFactory().getDefinitions('qf44');
  config.delimiter = 1;  // SOH
  const scope = makeSessionScope(config);
  const buffer = scope.sessionContainer.resolve(jf.DITokens.ParseBuffer);
  const maxMessageLen = scope.sessionContainer.resolve(jf.DITokens.maxMessageLen);
  const parser: Parser = new jf.AsciiParser(scope, null, buffer, maxMessageLen);
  parser.on('msg', (_t, view) => onMessage(view));
  return parser;
}

export interface PeerRate {
  version: string;
  viewMessagesPerSecond: number;
  objectMessagesPerSecond: number;
}

export async function jspurefixRates(wire: Buffer, messages: number, runs: number): Promise<PeerRate> {
  const version = require('jspurefix/package.json').version as string;
  const rate = async (materialise: boolean) => {
    let seen = 0;
    const parser = await makeParser((view) => {
      seen++;
      if (materialise && view.toObject() === null) throw new Error('jspurefix gave no object');
    });
    const seconds: number[] = [];
    for (let r = 0; r <= runs; r++) {
      seen = 0;
      const t0 = process.hrtime.bigint();
      parser.parseBuffer(wire);
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      if (seen !== messages) throw new Error(`jspurefix parsed ${seen} of ${messages} messages`);
      if (r > 0) seconds.push(s);  // the first pass warms up
    }
    return messages / median(seconds);
  };
  return { version, viewMessagesPerSecond: await rate(false), objectMessagesPerSecond: await rate(true) };
}
