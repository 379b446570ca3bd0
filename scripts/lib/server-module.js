// Server code for the command-line scripts, loaded through Vite, so $lib aliases,
// import.meta.glob (migrations) and ?raw imports (reference data) resolve exactly as in the
// running app.
import { createServer } from 'vite';

/**
 * Loads `path` (from the project root, e.g. '/src/lib/server/setup/cli.ts'), runs `use` with it and
 * closes Vite, whatever `use` did.
 * @template T
 * @param {string} path
 * @param {(module: Record<string, any>) => Promise<T>} use
 * @returns {Promise<T>}
 */
export async function withServerModule(path, use) {
	const vite = await createServer({
		server: { middlewareMode: true, hmr: false, ws: false },
		appType: 'custom',
		logLevel: 'warn'
	});
	try {
		return await use(await vite.ssrLoadModule(path));
	} finally {
		await vite.close();
	}
}

/**
 * A command's whole run: its module's `run(...args)`, an error printed as one line with exit
 * code 1, then exit (a database pool left open would keep the process alive).
 * @param {string} path
 * @param {unknown[]} args
 */
export async function runCommand(path, args) {
	try {
		await withServerModule(path, (cli) => cli.run(...args));
	} catch (e) {
		console.error(e instanceof Error ? e.message : e);
		process.exitCode = 1;
	}
	process.exit();
}
