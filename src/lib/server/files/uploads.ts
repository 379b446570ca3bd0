import {
	ATTACHMENT_LIMITS,
	safeDisplayName,
	safeFileName,
	sniff,
	type CheckedUpload,
	type UploadLimits,
	type UploadProblem
} from './sniff';
import { isCompoundFile, officeDataIntact, officeStructure } from './zip';

/** Why a file of no allowed kind was refused: old or locked Office files and zip bombs get their own reason. */
function refusal(bytes: Uint8Array, limits: UploadLimits): UploadProblem['code'] {
	if (!limits.kinds.includes('xlsx') && !limits.kinds.includes('docx')) return 'type';
	if (isCompoundFile(bytes)) return 'office_legacy';
	return officeStructure(bytes) === 'expands' ? 'unpacked_too_large' : 'type';
}

/**
 * The files posted in `field`, checked against `limits`. Only the first `limits.maxFiles` are
 * looked at; beyond that one `too_many` problem is reported. Sizes are checked before any bytes
 * are read. Types are decided by content; a CSV, whose content proves little, must also be named
 * `.csv`. An Office document is also inflated entry by entry (streamed, within `ZIP_LIMITS`) to
 * check every declared size and checksum before it is accepted.
 */
export async function readUploads(
	form: FormData,
	field: string,
	limits: UploadLimits = ATTACHMENT_LIMITS
): Promise<{ files: CheckedUpload[]; problems: UploadProblem[] }> {
	// An empty <input type="file"> still posts one nameless, empty entry.
	const posted = form
		.getAll(field)
		.filter((entry): entry is File => typeof entry !== 'string')
		.filter((file) => file.size > 0 || file.name !== '');

	const files: CheckedUpload[] = [];
	const problems: UploadProblem[] = [];
	if (posted.length > limits.maxFiles) problems.push({ code: 'too_many', name: '' });

	for (const file of posted.slice(0, limits.maxFiles)) {
		if (file.size === 0) {
			problems.push({ code: 'empty', name: safeDisplayName(file.name) });
			continue;
		}
		if (file.size > limits.maxBytes) {
			problems.push({ code: 'too_large', name: safeDisplayName(file.name) });
			continue;
		}
		// Text passes as CSV only when the limits allow CSV and the sender named the file so.
		const text = limits.kinds.includes('csv') && /\.csv$/iu.test(file.name);
		const bytes = new Uint8Array(await file.arrayBuffer());
		const kind = sniff(bytes, { text });
		if (kind === null || !limits.kinds.includes(kind) || (kind === 'csv' && !text)) {
			problems.push({ code: refusal(bytes, limits), name: safeDisplayName(file.name) });
			continue;
		}
		if (kind === 'xlsx' || kind === 'docx') {
			const intact = await officeDataIntact(bytes, kind);
			if (intact !== 'ok') {
				const code = intact === 'expands' ? 'unpacked_too_large' : 'type';
				problems.push({ code, name: safeDisplayName(file.name) });
				continue;
			}
		}
		files.push({ name: safeFileName(file.name, kind), kind, bytes, size: bytes.byteLength });
	}
	return { files, problems };
}
