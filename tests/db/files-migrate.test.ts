import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArguments } from '$lib/server/files/cli';
import { CHUNK_SIZE, sha256Of } from '$lib/server/files/content';
import { databaseFileStore } from '$lib/server/files/database-store';
import { checkFiles, filesNotInDatabase, moveFiles, reportOk } from '$lib/server/files/migrate';
import { rememberFiles } from '$lib/server/files/records';
import { fileStore, type FileStore } from '$lib/server/files/store';
import { backends, migratedDb, type TestDb } from './harness';

const some = (size: number) => new Uint8Array(randomBytes(size));

describe('files:migrate arguments', () => {
	it('are --to database, --to filesystem or --check, and nothing else', () => {
		expect(parseArguments(['--to', 'database'])).toEqual({ to: 'database' });
		expect(parseArguments(['--to', 'filesystem'])).toEqual({ to: 'filesystem' });
		expect(parseArguments(['--check'])).toEqual({ check: true });
		for (const bad of [[], ['--to'], ['--to', 's3'], ['database'], ['--check', '--to', 'database']])
			expect(parseArguments(bad)).toBeNull();
	});
});

describe.each(backends)('moving files on %s', (backend) => {
	let t: TestDb;
	let dir: string;
	let folder: FileStore;
	let database: FileStore;
	const pathOf = (root: string, sha256: string) => join(root, sha256.slice(0, 2), sha256);

	/** Stores `bytes` in `store` and records the file as an upload would. */
	async function upload(store: FileStore, bytes: Uint8Array): Promise<string> {
		const sha256 = await store.put(bytes);
		await rememberFiles(t.db, [{ sha256, size: bytes.byteLength, mime: 'application/pdf' }]);
		return sha256;
	}

	beforeAll(async () => {
		t = await migratedDb(backend);
		dir = await mkdtemp(join(tmpdir(), 'civic-files-migrate-'));
		folder = fileStore(join(dir, 'files'));
		database = databaseFileStore(t.db);
	});
	afterAll(async () => {
		await t?.close();
		await rm(dir, { recursive: true, force: true });
	});

	it('copies every recorded file and every other file of the folder, then nothing more', async () => {
		const small = some(1000);
		const large = some(3 * CHUNK_SIZE + 5);
		const stray = some(10);
		await upload(folder, small);
		await upload(folder, large);
		await folder.put(stray);
		expect(await filesNotInDatabase(t.db)).toBe(2);

		const first = await moveFiles(t.db, folder, database);
		expect(first).toMatchObject({ recorded: 2, looked: 3, copied: 3, present: 0 });
		expect(first.copiedBytes).toBe(1000 + 3 * CHUNK_SIZE + 5 + 10);
		expect(reportOk(first)).toBe(true);
		expect(await filesNotInDatabase(t.db)).toBe(0);
		for (const bytes of [small, large, stray])
			expect(await database.has(sha256Of(bytes))).toBe(true);

		const again = await moveFiles(t.db, folder, database);
		expect(again).toMatchObject({
			copied: 0,
			copiedBytes: 0,
			present: 3,
			missing: [],
			differs: []
		});
		const check = await checkFiles(t.db, database);
		expect(check).toMatchObject({ recorded: 2, present: 2, missing: [], differs: [] });
	});

	it('refuses a file of the folder whose bytes are not its hash, and a recorded file found nowhere', async () => {
		const damaged = await upload(folder, some(2000));
		const bytes = await readFile(pathOf(join(dir, 'files'), damaged));
		bytes[100] = bytes[100]! ^ 0xff;
		await writeFile(pathOf(join(dir, 'files'), damaged), bytes);
		const nowhere = sha256Of(some(50));
		await rememberFiles(t.db, [{ sha256: nowhere, size: 50, mime: 'application/pdf' }]);

		const report = await moveFiles(t.db, folder, database);
		expect(reportOk(report)).toBe(false);
		expect(report.differs).toEqual([
			expect.stringMatching(
				new RegExp(`^${damaged}: the filesystem store's copy has SHA-256 [0-9a-f]{64}, not copied$`)
			)
		]);
		expect(report.missing).toEqual([
			expect.stringMatching(new RegExp(`^${nowhere}: recorded, but in neither`))
		]);
		expect(await database.has(damaged)).toBe(false);
		const check = await checkFiles(t.db, folder);
		expect(check.differs).toEqual([expect.stringContaining(damaged)]);
		expect(check.missing).toEqual([`${nowhere}: not in the filesystem store`]);

		await t.db.deleteFrom('stored_file').where('sha256', 'in', [damaged, nowhere]).execute();
		await rm(pathOf(join(dir, 'files'), damaged));
	});

	it('copies back to a folder and finds a damaged chunk in the database', async () => {
		const back = fileStore(join(dir, 'back'));
		const first = await moveFiles(t.db, database, back);
		expect(first).toMatchObject({ looked: 3, copied: 3, missing: [], differs: [] });
		expect((await moveFiles(t.db, database, back)).copied).toBe(0);
		expect(await checkFiles(t.db, back)).toMatchObject({ present: 2, missing: [], differs: [] });

		const damaged = await upload(database, some(2 * CHUNK_SIZE));
		// same length, one byte changed: only the hash can tell
		await sql`update file_chunk set bytes = set_byte(bytes, 7, (get_byte(bytes, 7) + 1) % 256)
			where sha256 = ${damaged} and seq = 1`.execute(t.db);
		const report = await moveFiles(t.db, database, back);
		expect(report.differs).toEqual([
			expect.stringMatching(
				new RegExp(`^${damaged}: the database store's copy has SHA-256 [0-9a-f]{64}, not copied$`)
			)
		]);
		expect(await back.has(damaged)).toBe(false);
		expect((await checkFiles(t.db, database)).differs).toEqual([expect.stringContaining(damaged)]);
	});

	it('finds a damaged copy already in the target store', async () => {
		const target = fileStore(join(dir, 'back'));
		let victim = '';
		for await (const sha256 of target.hashes()) victim ||= sha256;
		await writeFile(pathOf(join(dir, 'back'), victim), 'not the file');
		const report = await moveFiles(t.db, database, target);
		expect(report.differs).toContainEqual(
			expect.stringMatching(new RegExp(`^${victim}: the filesystem store's copy has SHA-256`))
		);
	});
});
