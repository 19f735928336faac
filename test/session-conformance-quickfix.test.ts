// The same Test Case scripts (test/conformance/cases.ts) against QuickFIX, Debian's libquickfix, with the
// echo application of test/peers/qf-echo.cpp: the expected replies are QuickFIX's, checked here.
import { describe } from 'vitest';
import { conformanceSuite } from './conformance/suite.js';

describe('FIX Session Layer Test Cases, QuickFIX', () => conformanceSuite('quickfix'));
