// Test files in the order that keeps both of CI's forks busy to the end. Vitest orders a run without its
// results cache (a fresh clone, as in CI) by file size, and the session conformance files are a few lines
// that run a whole script for a minute or more: started last, one fork ran alone for over a minute. The
// suites below come first, longest first (seconds measured by `npx vitest run` on two cores); the rest follow
// in Vitest's own order.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const LONGEST = [
  'serial-emulator', // 105 s
  'session-conformance-quickfix', // 72 s
  'pcie-emulator', // 52 s
  'session-conformance', // 38 s
  'feed-core.diff', // 36 s
  'session-quickfix', // 34 s
  'itch-input', // 24 s
  'serve', // 23 s
  'serial-link.rtl', // 19 s
  'session-faults', // 18 s
  'line-arbiter.rtl', // 17 s
  'rtl', // 16 s
];

const rank = (spec: TestSpecification): number => {
  const name = spec.moduleId.split('/').pop()!.replace(/\.test\.ts$/, '');
  const at = LONGEST.indexOf(name);
  return at < 0 ? LONGEST.length : at;
};

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b)); // stable: the rest keep Vitest's order
  }
}
