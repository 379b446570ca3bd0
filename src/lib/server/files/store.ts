import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { config } from '../config';
import { getDb, type Db } from '../db';
import { CHUNK_SIZE, SHA256_HEX, sha256Of } from './content';
import { databaseFileStore } from './database-store';

/** A stored file opened for reading: its size and its bytes, read as they are consumed. */
export type OpenedFile = { size: number; stream: ReadableStream<Uint8Array> };

export type FileStoreKind = 'filesystem' | 'database';

/**
 * Where uploaded files' bytes live, addressed by their SHA-256 (the same bytes are stored once).
 * A file is visible only once complete. Reading is a stream so that a download never holds a
 * whole file in memory.
 *
 * An S3-compatible store would be a third kind here (`s3-store.ts`, objects named by the hash,
 * `open` streaming a GetObject body, `put` a conditional PutObject), chosen by FILE_STORE=s3 in
 * config.ts; none ships until it can be tested against a real S3 implementation.
 */
export type FileStore = {
	readonly kind: FileStoreKind;
	/** Stores the bytes (if they are not there yet) and returns their SHA-256 in hex. */
	put(bytes: Uint8Array): Promise<string>;
	/** The file, or null when the store has none by that hash (or it is not a hash at all). */
	open(sha256: string): Promise<OpenedFile | null>;
	has(sha256: string): Promise<boolean>;
	/** Every hash the store holds, for moving and checking files. */
	hashes(): AsyncIterable<string>;
};

const isMissing = (error: unknown): boolean =>
	(error as NodeJS.ErrnoException | null)?.code === 'ENOENT';

async function sizeOf(path: string): Promise<number | null> {
	try {
		return (await stat(path)).size;
	} catch (error) {
		if (isMissing(error)) return null;
		throw error;
	}
}

/**
 * The file at `path` read a chunk per pull. The file is opened for each chunk and closed at
 * once, so a response whose body is never read (or a client that goes away) holds no handle.
 */
function fileStream(path: string, size: number): ReadableStream<Uint8Array> {
	let position = 0;
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			if (position >= size) return controller.close();
			const handle = await open(path, 'r');
			try {
				const buffer = new Uint8Array(Math.min(CHUNK_SIZE, size - position));
				const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, position);
				if (bytesRead === 0) throw new Error(`file store: ${path} is shorter than ${size} bytes`);
				position += bytesRead;
				controller.enqueue(buffer.subarray(0, bytesRead));
				if (position >= size) controller.close();
			} finally {
				await handle.close();
			}
		}
	});
}

/** Files kept under `<dir>/<first two hex digits>/<sha256>`; the same content is stored once. */
export function fileStore(dir: string): FileStore {
	const pathOf = (sha256: string) => join(dir, sha256.slice(0, 2), sha256);

	return {
		kind: 'filesystem',

		async put(bytes) {
			const sha256 = sha256Of(bytes);
			const target = pathOf(sha256);
			if ((await sizeOf(target)) !== null) return sha256;
			await mkdir(join(dir, sha256.slice(0, 2)), { recursive: true });
			// Written aside and renamed into place, so a reader never sees half a file.
			const temp = `${target}.${randomBytes(8).toString('hex')}.tmp`;
			try {
				const handle = await open(temp, 'wx');
				try {
					await handle.writeFile(bytes);
					await handle.sync();
				} finally {
					await handle.close();
				}
				await rename(temp, target);
			} catch (error) {
				await unlink(temp).catch(() => {});
				throw error;
			}
			return sha256;
		},

		async open(sha256) {
			if (!SHA256_HEX.test(sha256)) return null;
			const path = pathOf(sha256);
			const size = await sizeOf(path);
			return size === null ? null : { size, stream: fileStream(path, size) };
		},

		async has(sha256) {
			return SHA256_HEX.test(sha256) && (await sizeOf(pathOf(sha256))) !== null;
		},

		async *hashes() {
			const names = async (path: string) => {
				try {
					return (await readdir(path)).sort();
				} catch (error) {
					if (isMissing(error)) return [];
					throw error;
				}
			};
			for (const prefix of await names(dir)) {
				if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
				for (const name of await names(join(dir, prefix)))
					if (SHA256_HEX.test(name) && name.startsWith(prefix)) yield name;
			}
		}
	};
}

/** The store FILE_STORE names over this database (the filesystem one is the same either way). */
export function activeFileStore(db: Db | (() => Promise<Db>)): FileStore {
	const settings = config();
	return settings.fileStore === 'database'
		? databaseFileStore(db)
		: fileStore(join(settings.dataDir, 'files'));
}

let cached: FileStore | undefined;

/** The application's file store (FILE_STORE: the database by default with DATABASE_URL). */
export function defaultFileStore(): FileStore {
	cached ??= activeFileStore(getDb);
	return cached;
}

/**
 * The application's file store writing through `db`, which may be a transaction: in the
 * database store the file then appears when that transaction commits (the demo seed's files
 * with its rows). On the embedded database this is also the only way to store a file while a
 * transaction is open: it has a single connection.
 */
export function fileStoreIn(db: Db): FileStore {
	return config().fileStore === 'database' ? databaseFileStore(db) : defaultFileStore();
}
