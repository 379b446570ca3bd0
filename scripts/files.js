#!/usr/bin/env node
// Moves uploaded files between the folder (DATA_DIR/files) and the database, checking every
// SHA-256 (`npm run files:migrate -- --to database|filesystem`), or checks the active store
// (`npm run files:migrate -- --check`). Loaded through Vite like scripts/db.js.
// Never run it while `npm run dev` or `node build` has the embedded database open.
import { runCommand } from './lib/server-module.js';

await runCommand('/src/lib/server/files/cli.ts', [process.argv.slice(2)]);
