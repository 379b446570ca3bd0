import { fail, type ActionFailure } from '@sveltejs/kit';
import type { Staff } from '$lib/auth/access';
import { readDossierCsv, type RecordProblem } from '$lib/dossiers/records';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { Db } from '../db';
import { echoValues, readForm, type FormFailure } from '../forms/parse';
import { importDossiers, ImportRefused } from './import';
import { dossierAgencies, mayImportDossiers } from './permissions';
import { refuse } from './refusals';

const CSV_MAX_MB = 5;

const COLUMN_NAMES: Record<string, string> = {
	code: 'Mã hồ sơ',
	procedure: 'Thủ tục',
	field: 'Lĩnh vực',
	received: 'Ngày tiếp nhận',
	channel: 'Hình thức'
};

/** One problem as the official reads it: "Dòng 3: thiếu lĩnh vực." */
export function problemMessage(p: RecordProblem): string {
	const value = p.value ?? '';
	const say: Record<RecordProblem['code'], () => string> = {
		encoding: m.dc_table_encoding,
		parse: m.dc_table_parse,
		empty: m.dc_table_empty,
		too_many_rows: m.dc_table_too_many_rows,
		too_long: m.dc_table_cell_too_long,
		missing_column: () =>
			m.dossier_problem_missing_column({ column: COLUMN_NAMES[value] ?? value }),
		code_missing: m.dossier_problem_code_missing,
		code_repeated: m.dossier_problem_code_repeated,
		procedure_missing: m.dossier_problem_procedure_missing,
		field_missing: m.dossier_problem_field_missing,
		date_invalid: () => m.dossier_problem_date_invalid({ value }),
		completed_before_received: m.dossier_problem_completed_before_received,
		channel_invalid: () => m.dossier_problem_channel_invalid({ value }),
		returned_invalid: () => m.dossier_problem_returned_invalid({ value }),
		email_invalid: () => m.dossier_problem_email_invalid({ value }),
		phone_invalid: () => m.dossier_problem_phone_invalid({ value }),
		agency_other: () => m.dossier_problem_agency_other({ value }),
		code_other_agency: m.dossier_problem_code_other_agency
	};
	return m.dossier_problem_line({ line: p.line, problem: say[p.code]() });
}

/** The agencies `staff` may import for, as choices of the page's select. */
export async function importChoices(db: Db, staff: Staff) {
	const agencies = dossierAgencies(staff);
	if (agencies !== 'all' && agencies.length === 0) return [];
	const rows = await db
		.selectFrom('agency')
		.select(['id', 'name_vi', 'name_en'])
		.$if(agencies !== 'all', (qb) => qb.where('id', 'in', agencies as number[]))
		.orderBy('name_vi')
		.execute();
	const en = getLocale() === 'en';
	return rows.map((r) => ({ value: String(r.id), label: en ? r.name_en : r.name_vi }));
}

type ImportFailure = FormFailure & { part: 'import'; problems?: string[] };

/**
 * The import form of the officials' and the admins' page: the agency (one the person may import
 * for) and the CSV file; `dryRun` previews. Every problem comes back with its line, and the
 * agency chosen is kept.
 */
export async function importFromForm(
	db: Db,
	staff: Staff,
	request: Request,
	dryRun: boolean
): Promise<{ done: string; part: 'import' } | ActionFailure<ImportFailure>> {
	const form = await readForm(request);
	if (!(form instanceof FormData)) return fail(form.status, { ...form.data, part: 'import' });
	const values = echoValues(form);
	const failed = (status: number, answer: Omit<ImportFailure, 'part' | 'values'>) =>
		fail(status, { part: 'import' as const, values, ...answer });
	const forbidden = () => failed(403, { errors: {}, message: refuse('forbidden').reason });
	const agencyText = form.get('agency');
	const agencyId =
		typeof agencyText === 'string' && /^\d{1,9}$/.test(agencyText) ? Number(agencyText) : null;
	const allowed = dossierAgencies(staff);
	if (allowed !== 'all' && allowed.length === 0) return forbidden();
	if (agencyId === null)
		return failed(400, { errors: { agency: m.dossier_import_agency_invalid() } });
	if (!mayImportDossiers(staff, agencyId)) return forbidden();
	const exists = await db
		.selectFrom('agency')
		.select('id')
		.where('id', '=', agencyId)
		.executeTakeFirst();
	if (!exists) return failed(400, { errors: { agency: m.dossier_import_agency_invalid() } });
	const file = form.get('file');
	if (!(file instanceof File) || file.size === 0)
		return failed(400, { errors: { file: m.dossier_import_no_file() } });
	if (file.size > CSV_MAX_MB * 1024 * 1024)
		return failed(400, {
			errors: { file: m.common_error_file_too_large({ name: file.name, max: CSV_MAX_MB }) }
		});
	const read = readDossierCsv(new Uint8Array(await file.arrayBuffer()));
	const refused = (problems: RecordProblem[]) =>
		failed(400, {
			errors: { file: m.dossier_import_refused() },
			problems: problems.map(problemMessage)
		});
	if ('problems' in read) return refused(read.problems);
	try {
		const outcome = await importDossiers(
			db,
			{ agencyId, source: 'csv', userId: staff.id, tokenId: null },
			read.records,
			dryRun
		);
		return {
			part: 'import' as const,
			done: dryRun ? m.dossier_import_previewed(outcome) : m.dossier_imported(outcome)
		};
	} catch (e) {
		if (e instanceof ImportRefused) return refused(e.problems);
		throw e;
	}
}
