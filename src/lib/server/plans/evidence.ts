import { uploadProblemMessage } from '../disclosures/messages';
import { DISCLOSURE_LIMITS, MIME } from '../files/sniff';
import { defaultFileStore } from '../files/store';
import { readUploads } from '../files/uploads';
import type { FieldErrors } from '../forms/refusal';
import type { ReportInput } from './reports';

/**
 * The evidence files of a progress report as a `formStep` check: their problems, under `files`,
 * come back with the other fields' errors; once every file passes, `stored()` is what was kept.
 */
export function evidenceFiles() {
	let kept: ReportInput['files'] = [];
	return {
		check: async (form: FormData): Promise<FieldErrors> => {
			const { files, problems } = await readUploads(form, 'files', DISCLOSURE_LIMITS);
			if (problems.length > 0)
				return {
					files: problems
						.map((problem) => uploadProblemMessage({ kind: 'file', problem }))
						.join(' ')
				};
			const store = defaultFileStore();
			const stored = [];
			for (const f of files)
				stored.push({
					sha256: await store.put(f.bytes),
					name: f.name,
					size: f.size,
					mime: MIME[f.kind]
				});
			kept = stored;
			return {};
		},
		stored: () => kept
	};
}
