// The FIX Session Layer Test Cases (test/conformance/cases.ts) against tickgate's session engine: every
// version and role on the reference device, and FIX.4.4 with the Verilated FIX parser in the path.
import { describe } from 'vitest';
import { conformanceSuite } from './conformance/suite.js';

describe('FIX Session Layer Test Cases, tickgate (ref device)', () => conformanceSuite('tickgate'));
describe('FIX Session Layer Test Cases, tickgate (sim device)', () => conformanceSuite('tickgate', { backend: 'sim', versions: ['FIX.4.4'] }));
