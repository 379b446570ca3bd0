import type { Staff } from '$lib/auth/access';
import { m } from '$lib/paraglide/messages';
import { readTaskMatrix, type ImportProblem } from '$lib/plans/import';
import type { Db } from '../db';
import { invalidInput } from '../forms/refusal';
import { mayManagePlan } from './permissions';
import { importTasks, planMeasures } from './plans';
import { refuse } from './refusals';

const MATRIX_MAX_MB = 2;

function problemMessage(p: ImportProblem): string {
	const messages: Record<ImportProblem['code'], () => string> = {
		encoding: m.dc_table_encoding,
		parse: m.dc_table_parse,
		empty: m.dc_table_empty,
		no_task_column: m.pl_import_no_task_column,
		no_lead_column: m.pl_import_no_lead_column,
		task_empty: m.pl_import_task_empty,
		lead_unknown: () => m.pl_import_lead_unknown({ value: p.value ?? '' }),
		measure_unknown: () => m.pl_import_measure_unknown({ value: p.value ?? '' }),
		too_long: m.dc_table_cell_too_long,
		too_many_rows: m.dc_table_too_many_rows
	};
	return m.pl_import_line({ line: p.line, problem: messages[p.code]() });
}

const refuseMatrix = (problem: string) => invalidInput({ matrix: problem }, () => problem);

/**
 * A task matrix posted as a CSV file (`matrix`), read against the plan's measures and the
 * agencies, and imported whole; every problem, each with its line, is refused beside the file.
 */
export async function importMatrix(
	db: Db,
	staff: Staff,
	plan: { id: number; agency_id: number; instrument_id: number },
	file: FormDataEntryValue | null
): Promise<number> {
	if (!mayManagePlan(staff, plan)) throw refuse('forbidden');
	if (!(file instanceof File) || file.size === 0) throw refuseMatrix(m.pl_import_no_file());
	if (file.size > MATRIX_MAX_MB * 1024 * 1024)
		throw refuseMatrix(m.common_error_file_too_large({ name: file.name, max: MATRIX_MAX_MB }));
	const [measures, agencyRows] = await Promise.all([
		planMeasures(db, plan.instrument_id),
		db.selectFrom('agency').select(['id', 'name_vi as name', 'slug']).execute()
	]);
	const read = readTaskMatrix(new Uint8Array(await file.arrayBuffer()), measures, agencyRows);
	if ('problems' in read)
		throw refuseMatrix(`${m.pl_import_refused()} ${read.problems.map(problemMessage).join(' ')}`);
	return importTasks(db, staff, plan.id, read.tasks);
}
