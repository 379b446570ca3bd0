import { sql } from 'kysely';
import type { Db } from '../db';
import { inTransaction } from '../db';
import { CHUNK_SIZE, SHA256_HEX, sha256Of } from './content';
import type { FileStore } from './store';

/** Chunks written by one insert and read by one select: about 1 MB a statement. */
const CHUNKS_PER_QUERY = 4;
/** Hashes listed by one select of `hashes()`. */
const HASHES_PER_QUERY = 1000;

// Chunks travel as base64 text: PGlite turns bytea into JavaScript and back about ten times
// slower than it handles the text (measured: 1 MB in 200 ms as bytea, 15 ms as base64), and
// PostgreSQL's encode/decode cost little. PostgreSQL breaks its base64 into lines; Node skips them.
const base64 = (bytes: Uint8Array) =>
	sql<Uint8Array>`decode(${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}, 'base64')`;

/**
 * The chunks of a blob, a few per query as the stream is consumed. No query (and so no
 * connection) is held between pulls: a slow client ties up nothing, and one that goes away
 * stops the reading (the stream is cancelled).
 */
function chunkStream(
	connect: () => Promise<Db>,
	sha256: string,
	blob: { size: number; chunk_size: number }
): ReadableStream<Uint8Array> {
	const count = Math.ceil(blob.size / blob.chunk_size);
	let next = 0;
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			if (next >= count) return controller.close();
			const rows = await (
				await connect()
			)
				.selectFrom('file_chunk')
				.select(['seq', sql<string>`encode(bytes, 'base64')`.as('base64')])
				.where('sha256', '=', sha256)
				.where('seq', '>=', next)
				.where('seq', '<', next + CHUNKS_PER_QUERY)
				.orderBy('seq')
				.execute();
			const damaged = () =>
				new Error(`file store: blob ${sha256} lacks chunk ${next} or it is cut`);
			if (rows.length === 0) throw damaged();
			for (const row of rows) {
				const bytes = Buffer.from(row.base64, 'base64');
				const expected = Math.min(blob.chunk_size, blob.size - next * blob.chunk_size);
				if (row.seq !== next || bytes.byteLength !== expected) throw damaged();
				controller.enqueue(bytes);
				next += 1;
			}
			if (next >= count) controller.close();
		}
	});
}

/**
 * Files in the database: a `file_blob` row per SHA-256 and its bytes in `file_chunk` rows of
 * CHUNK_SIZE, written in one transaction with the blob row (so a file is whole or absent), read
 * back as a stream a few chunks per query. `db` is the database, a transaction to write in, or
 * how to reach the database when it is first used.
 */
export function databaseFileStore(db: Db | (() => Promise<Db>)): FileStore {
	const connect = typeof db === 'function' ? db : async () => db;

	const blobOf = async (sha256: string) =>
		(await connect())
			.selectFrom('file_blob')
			.select(['size', 'chunk_size'])
			.where('sha256', '=', sha256)
			.executeTakeFirst();

	return {
		kind: 'database',

		async put(bytes) {
			const sha256 = sha256Of(bytes);
			if (await blobOf(sha256)) return sha256;
			await inTransaction(await connect(), async (trx) => {
				// A concurrent put of the same bytes waits here for the first to commit, then finds
				// the row and writes nothing; if the first rolls back, this one writes the file.
				const created = await trx
					.insertInto('file_blob')
					.values({ sha256, size: bytes.byteLength, chunk_size: CHUNK_SIZE })
					.onConflict((oc) => oc.column('sha256').doNothing())
					.returning('sha256')
					.executeTakeFirst();
				if (!created) return;
				const count = Math.ceil(bytes.byteLength / CHUNK_SIZE);
				for (let first = 0; first < count; first += CHUNKS_PER_QUERY) {
					const seqs = Array.from(
						{ length: Math.min(CHUNKS_PER_QUERY, count - first) },
						(_, i) => first + i
					);
					await trx
						.insertInto('file_chunk')
						.values(
							seqs.map((seq) => ({
								sha256,
								seq,
								bytes: base64(bytes.subarray(seq * CHUNK_SIZE, (seq + 1) * CHUNK_SIZE))
							}))
						)
						.execute();
				}
			});
			return sha256;
		},

		async open(sha256) {
			if (!SHA256_HEX.test(sha256)) return null;
			const blob = await blobOf(sha256);
			return blob ? { size: blob.size, stream: chunkStream(connect, sha256, blob) } : null;
		},

		async has(sha256) {
			return SHA256_HEX.test(sha256) && (await blobOf(sha256)) !== undefined;
		},

		async *hashes() {
			let after = '';
			for (;;) {
				const rows = await (
					await connect()
				)
					.selectFrom('file_blob')
					.select('sha256')
					.where('sha256', '>', after)
					.orderBy('sha256')
					.limit(HASHES_PER_QUERY)
					.execute();
				for (const row of rows) yield row.sha256;
				if (rows.length < HASHES_PER_QUERY) return;
				after = rows.at(-1)!.sha256;
			}
		}
	};
}
