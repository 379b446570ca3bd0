#!/usr/bin/env node
// Database commands: migrate, seed, reset, and analytics-verify (recompute analytics from raw).
// They load the server code through Vite, so $lib aliases, import.meta.glob (migrations) and
// ?raw imports (reference data) resolve exactly as in the running app.
// Never run one while `npm run dev` or `node build` has the embedded database open.
import { createServer } from 'vite';

const command = process.argv[2];
if (!['migrate', 'seed', 'reset', 'analytics-verify'].includes(command ?? '')) {
	console.error('usage: node scripts/db.js migrate|seed|reset|analytics-verify');
	process.exit(2);
}

const vite = await createServer({
	server: { middlewareMode: true, hmr: false, ws: false },
	appType: 'custom',
	logLevel: 'warn'
});
try {
	const cli = await vite.ssrLoadModule('/src/lib/server/db/cli.ts');
	await cli.run(command);
} catch (e) {
	console.error(e instanceof Error ? e.message : e);
	process.exitCode = 1;
} finally {
	await vite.close();
}
process.exit();
