#!/usr/bin/env node
// Database commands: migrate, seed, reset, analytics-verify (compare the analytics cells with the
// raw answers) and analytics-recompute [wave-slug] (rebuild them from the raw answers).
// They load the server code through Vite, so $lib aliases, import.meta.glob (migrations) and
// ?raw imports (reference data) resolve exactly as in the running app.
// Never run one while `npm run dev` or `node build` has the embedded database open.
import { createServer } from 'vite';

const command = process.argv[2];
const commands = ['migrate', 'seed', 'reset', 'analytics-verify', 'analytics-recompute'];
if (!commands.includes(command ?? '')) {
	console.error(`usage: node scripts/db.js ${commands.join('|')}`);
	process.exit(2);
}

const vite = await createServer({
	server: { middlewareMode: true, hmr: false, ws: false },
	appType: 'custom',
	logLevel: 'warn'
});
try {
	const cli = await vite.ssrLoadModule('/src/lib/server/db/cli.ts');
	await cli.run(command, process.argv[3]);
} catch (e) {
	console.error(e instanceof Error ? e.message : e);
	process.exitCode = 1;
} finally {
	await vite.close();
}
process.exit();
