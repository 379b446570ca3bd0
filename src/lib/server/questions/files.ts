import { MIME, type CheckedUpload } from '../files/sniff';
import { rememberFiles } from '../files/records';
import { defaultFileStore, type FileStore } from '../files/store';
import type { Db } from '../db';

/**
 * Keeps checked uploads in the file store and records them against a question (the citizen's,
 * reply_id null) or a reply. Call the store before the transaction: a file without a row is
 * harmless, a row without its file is not.
 */
export async function storeUploads(
	files: readonly CheckedUpload[],
	store: FileStore = defaultFileStore()
): Promise<{ sha256: string; name: string; size: number; mime: string }[]> {
	const stored = [];
	for (const f of files) {
		stored.push({
			sha256: await store.put(f.bytes),
			name: f.name,
			size: f.size,
			mime: MIME[f.kind]
		});
	}
	return stored;
}

export async function attachFiles(
	trx: Db,
	questionId: number,
	replyId: number | null,
	files: readonly { sha256: string; name: string; size: number; mime: string }[]
): Promise<void> {
	if (files.length === 0) return;
	await rememberFiles(trx, files);
	await trx
		.insertInto('question_file')
		.values(
			files.map((f) => ({
				question_id: questionId,
				reply_id: replyId,
				sha256: f.sha256,
				name: f.name
			}))
		)
		.execute();
}

export type AttachedFile = {
	id: number;
	name: string;
	size: number;
	mime: string;
	replyId: number | null;
};

/**
 * The files of a question that `scope` may know of, names and sizes included: the staff all of
 * them, the asker their own and those of published replies, the public only the latter. Drafts'
 * files never reach a page outside the staff's.
 */
export async function filesOf(
	db: Db,
	questionId: number,
	scope: FileScope
): Promise<AttachedFile[]> {
	return db
		.selectFrom('question_file as f')
		.innerJoin('stored_file as s', 's.sha256', 'f.sha256')
		.leftJoin('question_reply as r', 'r.id', 'f.reply_id')
		.select(['f.id', 'f.name', 's.size', 's.mime', 'f.reply_id as replyId'])
		.where('f.question_id', '=', questionId)
		.$call((qb) =>
			scope === 'staff'
				? qb
				: qb.where((eb) =>
						scope === 'asker'
							? eb.or([eb('f.reply_id', 'is', null), eb('r.status', '=', 'published')])
							: eb('r.status', '=', 'published')
					)
		)
		.orderBy('f.id')
		.execute();
}

/**
 * Who is asking for a file: the public (files of published replies), the asker (their own
 * attachments too) or the staff handling the case (drafts' files too).
 */
export type FileScope = 'public' | 'asker' | 'staff';

/** One file of a question, with the bytes; null when it is not there or not for this scope. */
export async function readQuestionFile(
	db: Db,
	questionId: number,
	fileId: number,
	scope: FileScope,
	store: FileStore = defaultFileStore()
) {
	const row = await db
		.selectFrom('question_file as f')
		.innerJoin('stored_file as s', 's.sha256', 'f.sha256')
		.leftJoin('question_reply as r', 'r.id', 'f.reply_id')
		.select(['f.name', 'f.reply_id', 'r.status as replyStatus', 's.sha256', 's.mime'])
		.where('f.question_id', '=', questionId)
		.where('f.id', '=', fileId)
		.executeTakeFirst();
	if (!row) return null;
	const published = row.replyStatus === 'published';
	const allowed = scope === 'staff' || published || (scope === 'asker' && row.reply_id === null);
	if (!allowed) return null;
	const bytes = await store.get(row.sha256);
	return bytes ? { name: row.name, mime: row.mime, bytes } : null;
}
