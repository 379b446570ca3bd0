import { parseTable, type TableProblem } from '$lib/disclosures/table';
import { DISCLOSURE_LIMITS, MIME, type UploadProblem } from '../files/sniff';
import { defaultFileStore } from '../files/store';
import { readUploads } from '../files/uploads';
import type { FieldErrors } from '../forms/refusal';
import { uploadProblemMessage } from './messages';
import type { StoredUpload } from './publish';

export type DisclosureUploadProblem =
	{ kind: 'file'; problem: UploadProblem } | { kind: 'table'; name: string; problem: TableProblem };

/**
 * The files posted with a disclosure, checked by content (PDF, spreadsheets, CSV, images), each
 * CSV also read as a table. Nothing is stored unless every file passes.
 */
export async function disclosureUploads(
	form: FormData
): Promise<{ files: StoredUpload[]; problems: DisclosureUploadProblem[] }> {
	const { files, problems } = await readUploads(form, 'files', DISCLOSURE_LIMITS);
	const all: DisclosureUploadProblem[] = problems.map((p) => ({ kind: 'file', problem: p }));
	const tables = files.map((f) => {
		if (f.kind !== 'csv') return null;
		const parsed = parseTable(f.bytes);
		if ('problem' in parsed) {
			all.push({ kind: 'table', name: f.name, problem: parsed.problem });
			return null;
		}
		return JSON.stringify(parsed.table);
	});
	if (all.length > 0) return { files: [], problems: all };
	const store = defaultFileStore();
	const stored: StoredUpload[] = [];
	for (const [i, f] of files.entries()) {
		stored.push({
			sha256: await store.put(f.bytes),
			name: f.name,
			size: f.size,
			mime: MIME[f.kind],
			tableJson: tables[i] ?? null
		});
	}
	return { files: stored, problems: [] };
}

/**
 * The files of a disclosure form as a `formStep` check: their problems, under `files`, come back
 * with the other fields' errors; once every file passes, `stored()` is what was kept.
 */
export function disclosureFiles() {
	let kept: StoredUpload[] = [];
	return {
		check: async (form: FormData): Promise<FieldErrors> => {
			const { files, problems } = await disclosureUploads(form);
			kept = files;
			return problems.length > 0 ? { files: problems.map(uploadProblemMessage).join(' ') } : {};
		},
		stored: () => kept
	};
}
