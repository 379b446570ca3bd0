import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_SIZE, readAll, sha256Of } from '$lib/server/files/content';
import { databaseFileStore } from '$lib/server/files/database-store';
import { fileStore, type FileStore } from '$lib/server/files/store';
import { backends, migratedDb, type TestDb } from './harness';

const text = (s: string) => new TextEncoder().encode(s);

/** The whole file, or null; fails the test if the stream gives more or less than `size`. */
async function contents(store: FileStore, sha256: string): Promise<Uint8Array | null> {
	const opened = await store.open(sha256);
	if (!opened) return null;
	const bytes = await readAll(opened.stream);
	expect(bytes.byteLength).toBe(opened.size);
	return bytes;
}

/** Byte-for-byte equality (toEqual walks a large array element by element, for seconds). */
function expectSame(actual: Uint8Array | null, expected: Uint8Array): void {
	expect(actual).not.toBeNull();
	expect(Buffer.compare(actual!, expected)).toBe(0);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
	const all: T[] = [];
	for await (const item of items) all.push(item);
	return all;
}

type Setup = { store: FileStore; db?: TestDb; close: () => Promise<void> };

const setups: [string, () => Promise<Setup>][] = [
	[
		'the filesystem',
		async () => {
			const dir = await mkdtemp(join(tmpdir(), 'civic-files-'));
			return { store: fileStore(dir), close: () => rm(dir, { recursive: true, force: true }) };
		}
	],
	...backends.map((backend): [string, () => Promise<Setup>] => [
		`the database on ${backend}`,
		async () => {
			const db = await migratedDb(backend);
			return { store: databaseFileStore(db.db), db, close: db.close };
		}
	])
];

describe.each(setups)('the file store in %s', (_, setup) => {
	let s: Setup;
	beforeAll(async () => {
		s = await setup();
	});
	afterAll(async () => s?.close());

	it('stores by SHA-256 and gives the same bytes back', async () => {
		const bytes = text('%PDF-1.7\nmột tệp nhỏ\n');
		const hash = await s.store.put(bytes);
		expect(hash).toBe(sha256Of(bytes));
		expect(await s.store.has(hash)).toBe(true);
		expect((await s.store.open(hash))?.size).toBe(bytes.byteLength);
		expectSame(await contents(s.store, hash), bytes);
	});

	it('keeps the same content once', async () => {
		const bytes = text('the same bytes, twice');
		const first = await s.store.put(bytes);
		const second = await s.store.put(new Uint8Array(bytes));
		expect(second).toBe(first);
		expect((await collect(s.store.hashes())).filter((h) => h === first)).toEqual([first]);
		if (s.db) {
			const blobs = await s.db.db
				.selectFrom('file_blob')
				.where('sha256', '=', first)
				.selectAll()
				.execute();
			expect(blobs).toHaveLength(1);
		}
	});

	it('streams a file of many chunks a chunk at a time', async () => {
		const bytes = new Uint8Array(randomBytes(5 * CHUNK_SIZE + 123));
		const hash = await s.store.put(bytes);
		const opened = (await s.store.open(hash))!;
		expect(opened.size).toBe(bytes.byteLength);
		const sizes: number[] = [];
		const parts: Uint8Array[] = [];
		for await (const part of opened.stream) {
			sizes.push(part.byteLength);
			parts.push(part);
		}
		expect(sizes).toEqual([...Array(5).fill(CHUNK_SIZE), 123]);
		expectSame(Buffer.concat(parts), bytes);
		if (s.db) {
			const chunks = await s.db.db
				.selectFrom('file_chunk')
				.where('sha256', '=', hash)
				.select('seq')
				.orderBy('seq')
				.execute();
			expect(chunks.map((c) => c.seq)).toEqual([0, 1, 2, 3, 4, 5]);
		}
	});

	it('takes concurrent puts of the same bytes', async () => {
		const bytes = new Uint8Array(randomBytes(3 * CHUNK_SIZE + 7));
		const hashes = await Promise.all(Array.from({ length: 6 }, () => s.store.put(bytes)));
		expect(new Set(hashes)).toEqual(new Set([sha256Of(bytes)]));
		expectSame(await contents(s.store, hashes[0]!), bytes);
		if (s.db) {
			const chunks = await s.db.db
				.selectFrom('file_chunk')
				.where('sha256', '=', hashes[0]!)
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow();
			expect(Number(chunks.n)).toBe(4);
		}
	});

	it('keeps an empty file', async () => {
		const hash = await s.store.put(new Uint8Array());
		expect(await contents(s.store, hash)).toEqual(new Uint8Array());
	});

	it('answers null for anything that is not a stored hash', async () => {
		for (const bad of ['../x', 'abc', 'A'.repeat(64), `../../${'a'.repeat(58)}`, '0'.repeat(64)]) {
			expect(await s.store.open(bad)).toBeNull();
			expect(await s.store.has(bad)).toBe(false);
		}
	});

	it('lets a reader stop half-way without holding anything', async () => {
		const bytes = new Uint8Array(randomBytes(6 * CHUNK_SIZE));
		const hash = await s.store.put(bytes);
		// more abandoned downloads than the test pool (4) has connections
		for (let i = 0; i < 12; i += 1) {
			const reader = (await s.store.open(hash))!.stream.getReader();
			const first = await reader.read();
			expect(first.value?.byteLength).toBe(CHUNK_SIZE);
			await reader.cancel();
		}
		const other = text('still answering');
		expectSame(await contents(s.store, await s.store.put(other)), other);
		expectSame(await contents(s.store, hash), bytes);
	});

	it('lists every hash it holds', async () => {
		const put = await Promise.all(['a', 'b', 'c'].map((x) => s.store.put(text(`list ${x}`))));
		const listed = await collect(s.store.hashes());
		expect(listed).toEqual([...listed].sort());
		for (const hash of put) expect(listed).toContain(hash);
	});
});

describe('the filesystem store', () => {
	let dir: string;
	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'civic-files-'));
	});
	afterAll(async () => rm(dir, { recursive: true, force: true }));

	it('keeps a file under its hash prefix and ignores other names when listing', async () => {
		const store = fileStore(dir);
		const hash = await store.put(text('layout'));
		expect(await readdir(join(dir, hash.slice(0, 2)))).toEqual([hash]);
		await store.put(text('layout'));
		expect(await readdir(join(dir, hash.slice(0, 2)))).toEqual([hash]);
		expect(await collect(store.hashes())).toEqual([hash]);
	});

	it('fails the stream of a file cut short on disk', async () => {
		const store = fileStore(dir);
		const hash = await store.put(new Uint8Array(randomBytes(2 * CHUNK_SIZE)));
		const opened = (await store.open(hash))!;
		await truncate(join(dir, hash.slice(0, 2), hash), CHUNK_SIZE);
		await expect(readAll(opened.stream)).rejects.toThrow(/shorter/);
	});
});

describe.each(backends)('the database store on %s', (backend) => {
	let t: TestDb;
	beforeAll(async () => {
		t = await migratedDb(backend);
	});
	afterAll(async () => t?.close());

	it('shows a file only once its transaction commits', async () => {
		const bytes = new Uint8Array(randomBytes(2 * CHUNK_SIZE));
		const hash = sha256Of(bytes);
		await expect(
			t.db.transaction().execute(async (trx) => {
				await databaseFileStore(trx).put(bytes);
				expect(await databaseFileStore(trx).has(hash)).toBe(true);
				throw new Error('rolled back');
			})
		).rejects.toThrow('rolled back');
		const store = databaseFileStore(t.db);
		expect(await store.has(hash)).toBe(false);
		expect(await t.db.selectFrom('file_chunk').where('sha256', '=', hash).execute()).toEqual([]);
	});

	it('fails the stream of a blob with a chunk gone', async () => {
		const store = databaseFileStore(t.db);
		const hash = await store.put(new Uint8Array(randomBytes(3 * CHUNK_SIZE)));
		await t.db.deleteFrom('file_chunk').where('sha256', '=', hash).where('seq', '=', 1).execute();
		await expect(readAll((await store.open(hash))!.stream)).rejects.toThrow(/lacks chunk 1/);
	});
});
