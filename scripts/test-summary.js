#!/usr/bin/env node
// The closing line of `npm test`: totals of the vitest and Playwright runs it just made.
import { readFileSync } from 'node:fs';

const unit = JSON.parse(readFileSync('.test-reports/vitest.json', 'utf8'));
const e2e = JSON.parse(readFileSync('.test-reports/e2e.json', 'utf8'));
const passed = unit.numPassedTests + e2e.stats.expected;
const failed = unit.numFailedTests + e2e.stats.unexpected + e2e.stats.flaky;
const skipped = unit.numPendingTests + unit.numTodoTests + e2e.stats.skipped;
console.log(
	`unit and database tests: ${unit.numPassedTests} passed, ${unit.numFailedTests} failed`
);
console.log(
	`browser tests: ${e2e.stats.expected} passed, ${e2e.stats.unexpected + e2e.stats.flaky} failed`
);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
