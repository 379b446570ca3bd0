// Debian's nginx as a child process of a test, in a temporary folder of the test's own: its
// configuration, pid, temporary and log files all live there, so it needs no root-owned paths
// (as root it runs its workers as root too, since `nobody` cannot read the folder).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const NGINX = process.env.NGINX_PATH || '/usr/sbin/nginx';

/**
 * @typedef {{ output: () => string, errorLog: string, stop: () => Promise<void> }} Nginx
 */

/**
 * Writes `dir/nginx.conf` around `http` (the inside of the http block), starts nginx and resolves
 * once `ready` answers true (it is asked every 100 ms for up to 30 s).
 * @param {string} dir
 * @param {string} http
 * @param {() => Promise<boolean>} ready
 * @returns {Promise<Nginx>}
 */
export async function startNginx(dir, http, ready) {
	const errorLog = join(dir, 'error.log');
	writeFileSync(
		join(dir, 'nginx.conf'),
		`${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${errorLog} warn;
events { worker_connections 512; }
http {
	client_body_temp_path ${join(dir, 'body')};
	proxy_temp_path ${join(dir, 'proxy')};
	fastcgi_temp_path ${join(dir, 'fastcgi')};
	uwsgi_temp_path ${join(dir, 'uwsgi')};
	scgi_temp_path ${join(dir, 'scgi')};
${http}
}
`
	);
	let log = '';
	const child = spawn(
		NGINX,
		['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', errorLog, '-g', 'daemon off;'],
		{ stdio: ['ignore', 'pipe', 'pipe'] }
	);
	child.stdout?.on('data', (d) => (log += d));
	child.stderr?.on('data', (d) => (log += d));
	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise((r) => child.once('exit', r));
		child.kill('SIGQUIT');
		await exited;
	};
	const deadline = Date.now() + 30_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`nginx exited:\n${log}`);
		try {
			if (await ready()) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`nginx did not answer within 30 s:\n${log}`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	return { output: () => log, errorLog, stop };
}
