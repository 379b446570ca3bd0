#!/usr/bin/env node
// Database commands: migrate, seed, reset, analytics-verify (compare the analytics cells with the
// raw answers) and analytics-recompute [wave-slug] (rebuild them from the raw answers).
// They load the server code through Vite, so $lib aliases, import.meta.glob (migrations) and
// ?raw imports (reference data) resolve exactly as in the running app.
// Never run one while `npm run dev` or `node build` has the embedded database open.
import { runCommand } from './lib/server-module.js';

const command = process.argv[2];
const commands = ['migrate', 'seed', 'reset', 'analytics-verify', 'analytics-recompute'];
if (!commands.includes(command ?? '')) {
	console.error(`usage: node scripts/db.js ${commands.join('|')}`);
	process.exit(2);
}

await runCommand('/src/lib/server/setup/cli.ts', [command, process.argv[3]]);
