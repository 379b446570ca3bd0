import { config } from 'zod/v4/core';

/**
 * Zod 4 checks once whether it may compile its parsers with `new Function`. Under the portal's
 * Content Security Policy (no 'unsafe-eval') the browser refuses, and reports a violation, on
 * every page that validates in the browser (the instrument editor). Zod works without it: say
 * so before the first parse.
 */
export function init() {
	config({ jitless: true });
}
