import { createHash } from 'node:crypto';

/** Bytes read or written per step: a pull of a download's stream, a row of the database store. */
export const CHUNK_SIZE = 256 * 1024;

// Only a well-formed hash may become a path or a key, so no argument can reach outside the store.
export const SHA256_HEX = /^[0-9a-f]{64}$/;

export const sha256Of = (bytes: Uint8Array): string =>
	createHash('sha256').update(bytes).digest('hex');

/** The SHA-256 and length of everything `stream` gives, read to its end a chunk at a time. */
export async function hashStream(
	stream: ReadableStream<Uint8Array>
): Promise<{ sha256: string; size: number }> {
	const hash = createHash('sha256');
	let size = 0;
	for await (const chunk of stream) {
		hash.update(chunk);
		size += chunk.byteLength;
	}
	return { sha256: hash.digest('hex'), size };
}

/** Everything `stream` gives, in one array (for bounded sizes only: an upload, a migration). */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
	const chunks: Uint8Array[] = [];
	for await (const chunk of stream) chunks.push(chunk);
	const all = Buffer.concat(chunks);
	return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
}
