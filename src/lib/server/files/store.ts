import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { config } from '../config';

export type FileStore = {
	put(bytes: Uint8Array): Promise<string>;
	get(sha256: string): Promise<Uint8Array | null>;
	has(sha256: string): Promise<boolean>;
};

// Only a well-formed hash may become a path, so no argument can reach outside the folder.
const SHA256_HEX = /^[0-9a-f]{64}$/;

const isMissing = (error: unknown): boolean =>
	(error as NodeJS.ErrnoException | null)?.code === 'ENOENT';

async function exists(path: string): Promise<boolean> {
	try {
		await stat(path);
		return true;
	} catch (error) {
		if (isMissing(error)) return false;
		throw error;
	}
}

/** Files kept under `<dir>/<first two hex digits>/<sha256>`; the same content is stored once. */
export function fileStore(dir: string): FileStore {
	const pathOf = (sha256: string) => join(dir, sha256.slice(0, 2), sha256);

	return {
		async put(bytes) {
			const sha256 = createHash('sha256').update(bytes).digest('hex');
			const target = pathOf(sha256);
			if (await exists(target)) return sha256;
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

		async get(sha256) {
			if (!SHA256_HEX.test(sha256)) return null;
			try {
				const buffer = await readFile(pathOf(sha256));
				return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
			} catch (error) {
				if (isMissing(error)) return null;
				throw error;
			}
		},

		async has(sha256) {
			return SHA256_HEX.test(sha256) && exists(pathOf(sha256));
		}
	};
}

let cached: FileStore | undefined;

export function defaultFileStore(): FileStore {
	cached ??= fileStore(join(config().dataDir, 'files'));
	return cached;
}
