import { createCipheriv, createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openDb } from '../src/lib/server/db';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { hashStream, readAll, sha256Of } from '../src/lib/server/files/content';
import { databaseFileStore } from '../src/lib/server/files/database-store';
import { fileStore, type FileStoreKind } from '../src/lib/server/files/store';

export type Options = {
	databaseUrl: string;
	dir: string;
	store: FileStoreKind;
	/** `download-whole`: the control, reading the file into one array as a download must not */
	op: 'upload' | 'download' | 'download-whole';
	megabytes: number;
	/** collect garbage before each sample: the memory still in use, not what awaits collection */
	live?: boolean;
};

/** The same incompressible bytes in every process: AES-CTR of zeros under a fixed key, by MB. */
function* testFile(megabytes: number): Generator<Buffer> {
	const cipher = createCipheriv('aes-256-ctr', Buffer.alloc(32, 7), Buffer.alloc(16));
	const zeros = Buffer.alloc(1024 * 1024);
	for (let i = 0; i < megabytes; i += 1) yield cipher.update(zeros);
}

/** Its hash, without holding it whole (a download must start from a process without it). */
function testFileSha256(megabytes: number): string {
	const hash = createHash('sha256');
	for (const part of testFile(megabytes)) hash.update(part);
	return hash.digest('hex');
}

/** The resident set, and what JavaScript holds: its heap and the buffers outside it. */
function memory() {
	const m = process.memoryUsage();
	return { rss: m.rss, js: m.heapUsed + m.arrayBuffers };
}

/**
 * One upload (put) or download (stream read to the end, hashed) of the test file, in this
 * process: its time, and how far the resident set and the memory JavaScript holds grew above
 * what they were just before (sampled every few milliseconds; with `live`, after collecting
 * garbage, which shows what is still in use rather than what V8 has not collected yet). The
 * test file's own bytes are made before the baseline, as an upload's body is in memory before it
 * reaches the store. `gc` is node's (--expose-gc): the global one is not
 * this module's under Vite's module runner.
 */
export async function measure(o: Options, gc: () => void) {
	const { db } = openDb({ databaseUrl: o.databaseUrl, pgliteDir: 'memory://', poolMax: 4 });
	try {
		await migrateToLatest(db);
		const store = o.store === 'database' ? databaseFileStore(db) : fileStore(join(o.dir, 'files'));
		const sha256 = testFileSha256(o.megabytes);
		if (o.op === 'upload') {
			await db.deleteFrom('file_blob').where('sha256', '=', sha256).execute();
			await rm(join(o.dir, 'files'), { recursive: true, force: true });
		} else if (!(await store.has(sha256))) throw new Error('download before upload');
		const upload =
			o.op === 'upload' ? new Uint8Array(Buffer.concat([...testFile(o.megabytes)])) : null;
		// V8 hands collected pages back to the system in the background: let it finish first, or
		// the resident set shrinks during the measurement and hides what it measures
		for (let i = 0; i < 3; i += 1) {
			gc();
			await new Promise((resolve) => setTimeout(resolve, 300));
		}
		const base = memory();
		const peak = { ...base };
		const sample = () => {
			if (o.live) gc();
			const now = memory();
			peak.rss = Math.max(peak.rss, now.rss);
			peak.js = Math.max(peak.js, now.js);
		};
		const sampler = setInterval(sample, o.live ? 10 : 2);
		const started = performance.now();
		if (upload) {
			if ((await store.put(upload)) !== sha256) throw new Error('the upload has another hash');
		} else {
			const stream = (await store.open(sha256))!.stream;
			const read =
				o.op === 'download' ? (await hashStream(stream)).sha256 : sha256Of(await readAll(stream));
			if (read !== sha256) throw new Error('the bytes read back differ');
		}
		const ms = performance.now() - started;
		clearInterval(sampler);
		sample();
		const mb = (bytes: number) => bytes / 1024 / 1024;
		return { ms, rssGrowthMb: mb(peak.rss - base.rss), jsGrowthMb: mb(peak.js - base.js) };
	} finally {
		await db.destroy();
	}
}
