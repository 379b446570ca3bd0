// A PostgreSQL cluster of the script's own, in a temporary folder, so that a fault script can
// crash and restart it without touching the developer's server or the one the tests use.
// Uses the machine's PostgreSQL binaries (Debian: /usr/lib/postgresql/<version>/bin). As root,
// the cluster runs as the `postgres` system user, since PostgreSQL refuses to run as root.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** The newest PostgreSQL server binaries on the machine. */
export function binDir() {
	const root = '/usr/lib/postgresql';
	const versions = existsSync(root)
		? readdirSync(root)
				.filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (!versions.length) throw new Error(`no PostgreSQL server binaries under ${root}`);
	return join(root, versions[0], 'bin');
}

const exec = promisify(execFile);

/** Whether this process is root: PostgreSQL and pgbouncer then run as the `postgres` user. */
export const asRoot = userInfo().uid === 0;

/**
 * Runs a server tool (a PostgreSQL binary, or pgbouncer given by its path), as `postgres` when root.
 * @param {string} tool a name in the PostgreSQL bin folder, or an absolute path
 * @param {string[]} args
 */
export async function runTool(tool, args) {
	const path = tool.startsWith('/') ? tool : join(binDir(), tool);
	await exec(asRoot ? 'runuser' : path, asRoot ? ['-u', 'postgres', '--', path, ...args] : args, {
		timeout: 120_000
	});
}

/** A new temporary folder the server user owns. @param {string} prefix */
export function serverFolder(prefix) {
	const dir = mkdtempSync(join(tmpdir(), prefix));
	if (asRoot) {
		const uid = execFileSync('id', ['-u', 'postgres']).toString().trim();
		const gid = execFileSync('id', ['-g', 'postgres']).toString().trim();
		chownSync(dir, Number(uid), Number(gid));
	}
	return dir;
}

/**
 * A new cluster in `data` (trust authentication, UTF-8, user postgres; replication allowed from
 * loopback, as initdb writes it).
 * @param {string} data
 */
export async function initCluster(data) {
	await runTool('initdb', [
		'-D',
		data,
		'-A',
		'trust',
		'-U',
		'postgres',
		'-E',
		'UTF8',
		'--no-instructions'
	]);
}

/**
 * Creates and starts the cluster; `restartImmediate` and `stop` are asynchronous so that the
 * clients of a fault script keep running while the server goes down and comes back.
 * @param {number} port
 * @returns {Promise<{ url: string, restartImmediate: () => Promise<void>, stop: () => Promise<void> }>}
 */
export async function privatePostgres(port) {
	const dir = serverFolder('civic-voice-pg-');
	const run = runTool;
	const data = join(dir, 'data');
	await initCluster(data);
	// Durable as in production: fsync and synchronous commit stay on (the defaults, stated).
	const options = [
		`-p ${port}`,
		"-c listen_addresses='127.0.0.1'",
		`-c unix_socket_directories='${dir}'`,
		'-c fsync=on',
		'-c synchronous_commit=on',
		'-c max_connections=100'
	].join(' ');
	const start = () =>
		run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', 'start']);
	await start();
	return {
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		/** A crash: no checkpoint, every backend killed; the next start replays the WAL. */
		restartImmediate: async () => {
			await run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
			await start();
		},
		stop: async () => {
			try {
				await run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		}
	};
}
