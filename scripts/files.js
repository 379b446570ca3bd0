#!/usr/bin/env node
// Moves uploaded files between the folder (DATA_DIR/files) and the database, checking every
// SHA-256 (`npm run files:migrate -- --to database|filesystem`), or checks the active store
// (`npm run files:migrate -- --check`). Loaded through Vite like scripts/db.js.
// Never run it while `npm run dev` or `node build` has the embedded database open.
import { createServer } from 'vite';

const vite = await createServer({
	server: { middlewareMode: true, hmr: false, ws: false },
	appType: 'custom',
	logLevel: 'warn'
});
try {
	const cli = await vite.ssrLoadModule('/src/lib/server/files/cli.ts');
	await cli.run(process.argv.slice(2));
} catch (e) {
	console.error(e instanceof Error ? e.message : e);
	process.exitCode = 1;
} finally {
	await vite.close();
}
process.exit();
