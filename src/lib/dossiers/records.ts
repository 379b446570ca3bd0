import { isEmail, isPhone } from '$lib/contacts';
import { readCsvRows } from '$lib/csv-rows';
import { foldVietnamese } from '$lib/questions/search';

/**
 * Dossier records as the provincial one-stop systems export them, read from CSV (Vietnamese or
 * English headers, `dd/mm/yyyy` dates, comma or semicolon) or from the JSON endpoint's objects.
 * Every row is checked and every problem named with its line (the JSON endpoint: its index + 1);
 * a file with any problem is refused whole, so an import never half-happens. Pure.
 */
export type DossierChannel = 'online' | 'offline';

export type DossierRecord = {
	line: number;
	/** normalized: trimmed, upper case, no inner spaces */
	code: string;
	procedure: string;
	field: string;
	/** the agency named in the file, if it has the column (checked against the importing agency) */
	agency: string;
	receivedOn: string;
	dueOn: string | null;
	completedOn: string | null;
	channel: DossierChannel;
	returnedCount: number;
	/** who handled it: the official's name and unit, when the export has them (else null) */
	handler: string | null;
	handlingUnit: string | null;
	/** the applicant's e-mail and phone, when the export has them: only to send the apology letter */
	email: string | null;
	phone: string | null;
};

export type RecordProblem = {
	line: number;
	code:
		| 'encoding'
		| 'parse'
		| 'empty'
		| 'too_many_rows'
		| 'missing_column'
		| 'too_long'
		| 'code_missing'
		| 'code_repeated'
		| 'procedure_missing'
		| 'field_missing'
		| 'date_invalid'
		| 'completed_before_received'
		| 'channel_invalid'
		| 'returned_invalid'
		| 'email_invalid'
		| 'phone_invalid'
		| 'agency_other'
		| 'code_other_agency';
	value?: string;
};

export const MAX_RECORDS = 20_000;
const MAX_CELL = 500;
export const MAX_CODE = 100;

type Column =
	| 'code'
	| 'procedure'
	| 'field'
	| 'agency'
	| 'received'
	| 'due'
	| 'completed'
	| 'channel'
	| 'returned'
	| 'handler'
	| 'handlingUnit'
	| 'email'
	| 'phone';

/** Header matchers on folded text ("Mã hồ sơ" → "ma ho so"), Vietnamese first, then English. */
const HEADERS: Record<Column, (h: string) => boolean> = {
	code: (h) => h === 'ma ho so' || h === 'so ho so' || h === 'code' || h === 'dossier code',
	procedure: (h) => h.startsWith('thu tuc') || h.includes('ten thu tuc') || h === 'procedure',
	field: (h) => h === 'linh vuc' || h === 'field',
	agency: (h) =>
		h === 'co quan' || h === 'don vi' || h.includes('co quan tiep nhan') || h === 'agency',
	received: (h) => h.startsWith('ngay tiep nhan') || h === 'received',
	due: (h) => h.startsWith('ngay hen tra') || h === 'due',
	completed: (h) =>
		h.startsWith('ngay hoan thanh') || h.startsWith('ngay co ket qua') || h === 'completed',
	channel: (h) => h === 'hinh thuc' || h.startsWith('hinh thuc nop') || h === 'channel',
	returned: (h) => h.startsWith('so lan bo sung') || h === 'returned',
	handler: (h) =>
		['can bo xu ly', 'nguoi xu ly', 'cong chuc xu ly', 'handler', 'handling official'].includes(h),
	handlingUnit: (h) =>
		['don vi xu ly', 'phong ban xu ly', 'bo phan xu ly', 'handling unit'].includes(h),
	email: (h) => ['email', 'e-mail', 'thu dien tu', 'dia chi thu dien tu'].includes(h),
	phone: (h) => ['so dien thoai', 'dien thoai', 'phone', 'telephone'].includes(h)
};
const REQUIRED: readonly Column[] = ['code', 'procedure', 'field', 'received', 'channel'];

export function normalizeCode(code: string): string {
	return code.replace(/\s+/g, '').toUpperCase();
}

/** A normalized code as the one-stop systems make them: letters, digits and . - _ / only. */
export function isDossierCode(code: string): boolean {
	return code.length > 0 && code.length <= MAX_CODE && /^[A-Z0-9._/-]+$/.test(code);
}

/** `dd/mm/yyyy` (a time after it is ignored, as exports often add one) or `yyyy-mm-dd`. */
export function readDate(cell: string): string | null {
	const vn = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(cell);
	const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$/.exec(cell);
	const [y, mo, d] = vn
		? [Number(vn[3]), Number(vn[2]), Number(vn[1])]
		: iso
			? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
			: [NaN, NaN, NaN];
	if (!Number.isInteger(y) || y < 2000 || y > 2100) return null;
	const date = new Date(Date.UTC(y, mo - 1, d));
	if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
	return date.toISOString().slice(0, 10);
}

/** "Trực tuyến" (also "Toàn trình", "Một phần", online) or "Trực tiếp" (also postal, offline). */
export function readChannel(cell: string): DossierChannel | null {
	const h = foldVietnamese(cell);
	if (['truc tuyen', 'online', 'toan trinh', 'truc tuyen toan trinh', 'mot phan'].includes(h))
		return 'online';
	if (['truc tiep', 'offline', 'buu chinh', 'qua buu chinh', 'dich vu buu chinh'].includes(h))
		return 'offline';
	return null;
}

/** A name as people write it: inner runs of spaces made one, so re-imports group the same. */
const oneSpaced = (text: string) => text.replace(/\s+/g, ' ');

export type RawRecord = Partial<Record<Column, string>>;

/** Checks one record; pushes its problems and answers it, or null when it has any. */
export function checkRecord(
	raw: RawRecord,
	line: number,
	problems: RecordProblem[]
): DossierRecord | null {
	const cell = (c: Column) => (raw[c] ?? '').trim();
	const before = problems.length;
	if (Object.values(raw).some((v) => (v ?? '').length > MAX_CELL)) {
		problems.push({ line, code: 'too_long' });
		return null;
	}
	const code = normalizeCode(cell('code'));
	if (!isDossierCode(code)) problems.push({ line, code: 'code_missing' });
	if (!cell('procedure')) problems.push({ line, code: 'procedure_missing' });
	if (!cell('field')) problems.push({ line, code: 'field_missing' });
	const date = (c: Column, required: boolean) => {
		const text = cell(c);
		if (!text && !required) return null;
		const read = readDate(text);
		if (!read) problems.push({ line, code: 'date_invalid', value: text });
		return read;
	};
	const receivedOn = date('received', true);
	const dueOn = date('due', false);
	const completedOn = date('completed', false);
	if (receivedOn && completedOn && completedOn < receivedOn)
		problems.push({ line, code: 'completed_before_received' });
	const channel = readChannel(cell('channel'));
	if (!channel) problems.push({ line, code: 'channel_invalid', value: cell('channel') });
	const returnedText = cell('returned') || '0';
	const returnedCount = /^\d{1,3}$/.test(returnedText) ? Number(returnedText) : -1;
	if (returnedCount < 0) problems.push({ line, code: 'returned_invalid', value: returnedText });
	const email = cell('email') || null;
	if (email && !isEmail(email)) problems.push({ line, code: 'email_invalid', value: email });
	const phone = cell('phone') || null;
	if (phone && !isPhone(phone)) problems.push({ line, code: 'phone_invalid', value: phone });
	if (problems.length > before) return null;
	return {
		line,
		code,
		procedure: cell('procedure'),
		field: cell('field'),
		agency: cell('agency'),
		receivedOn: receivedOn!,
		dueOn,
		completedOn,
		channel: channel!,
		returnedCount,
		handler: oneSpaced(cell('handler')) || null,
		handlingUnit: oneSpaced(cell('handlingUnit')) || null,
		email,
		phone
	};
}

/** A code given twice in one batch is a mistake in the export: refused, never merged silently. */
export function checkRepeats(records: readonly DossierRecord[], problems: RecordProblem[]) {
	const seen = new Set<string>();
	for (const r of records) {
		if (seen.has(r.code)) problems.push({ line: r.line, code: 'code_repeated', value: r.code });
		seen.add(r.code);
	}
}

export function readDossierCsv(
	bytes: Uint8Array
): { records: DossierRecord[] } | { problems: RecordProblem[] } {
	const read = readCsvRows(bytes);
	if ('problem' in read) return { problems: [read.problem] };
	const [header, ...body] = read.rows;
	if (!header || body.length === 0) return { problems: [{ line: 1, code: 'empty' }] };
	if (body.length > MAX_RECORDS) return { problems: [{ line: 1, code: 'too_many_rows' }] };
	const folded = header.record.map((h) => foldVietnamese(h));
	const index = {} as Record<Column, number>;
	for (const c of Object.keys(HEADERS) as Column[])
		index[c] = folded.findIndex((h) => HEADERS[c](h));
	const missing = REQUIRED.filter((c) => index[c] < 0);
	if (missing.length)
		return {
			problems: missing.map((c) => ({ line: header.line, code: 'missing_column', value: c }))
		};

	const problems: RecordProblem[] = [];
	const records: DossierRecord[] = [];
	for (const { record, line } of body) {
		const raw: RawRecord = {};
		for (const c of Object.keys(HEADERS) as Column[])
			if (index[c] >= 0) raw[c] = record[index[c]] ?? '';
		const checked = checkRecord(raw, line, problems);
		if (checked) records.push(checked);
	}
	checkRepeats(records, problems);
	return problems.length ? { problems } : { records };
}
