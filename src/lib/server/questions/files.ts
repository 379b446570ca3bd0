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
 * Who is asking for a file: the public (files of published replies), the asker (their own
 * attachments too), or a member of staff who sees the case: the citizen's files, published
 * replies' files, and the files of unpublished replies of `draftsOf`, the agency whose drafts they
 * may read (null: none). A draft's files are as private as its text.
 */
export type FileScope = 'public' | 'asker' | { draftsOf: number | null };

/** What a member of staff with these rights on a case handled by `agencyId` may see of its files. */
export function staffFileScope(
	rights: { draft: boolean; approve: boolean },
	agencyId: number | null
): FileScope {
	return { draftsOf: rights.draft || rights.approve ? agencyId : null };
}

/** A question's files that `scope` may know of, with their stored bytes' row. */
function visibleFiles(db: Db, questionId: number, scope: FileScope) {
	return db
		.selectFrom('question_file as f')
		.innerJoin('stored_file as s', 's.sha256', 'f.sha256')
		.leftJoin('question_reply as r', 'r.id', 'f.reply_id')
		.where('f.question_id', '=', questionId)
		.where((eb) => {
			const published = eb('r.status', '=', 'published');
			if (scope === 'public') return published;
			const citizens = eb('f.reply_id', 'is', null);
			if (scope === 'asker') return eb.or([citizens, published]);
			return eb.or([citizens, published, eb('r.agency_id', '=', scope.draftsOf ?? -1)]);
		});
}

/** The files of a question that `scope` may know of, names and sizes included. */
export async function filesOf(
	db: Db,
	questionId: number,
	scope: FileScope
): Promise<AttachedFile[]> {
	return visibleFiles(db, questionId, scope)
		.select(['f.id', 'f.name', 's.size', 's.mime', 'f.reply_id as replyId'])
		.orderBy('f.id')
		.execute();
}

/** One file of a question, opened for reading; null when it is not there or not for this scope. */
export async function readQuestionFile(
	db: Db,
	questionId: number,
	fileId: number,
	scope: FileScope,
	store: FileStore = defaultFileStore()
) {
	const row = await visibleFiles(db, questionId, scope)
		.select(['f.name', 's.sha256', 's.mime'])
		.where('f.id', '=', fileId)
		.executeTakeFirst();
	if (!row) return null;
	const opened = await store.open(row.sha256);
	return opened ? { name: row.name, mime: row.mime, ...opened } : null;
}
