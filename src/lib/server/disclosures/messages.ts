import { m } from '$lib/paraglide/messages';
import { refusals } from '../forms/refusal';
import type { DisclosureUploadProblem } from './uploads';
import { ZIP_LIMITS } from '../files/zip';

const MB = 1024 * 1024;

/**
 * Why a disclosure step was refused, with its status: a state that moved on is 409, a choice,
 * period or area the item cannot have is 400 (beside its field when the form has one).
 */
export const refuse = refusals({
	not_found: [404, m.error_not_found],
	forbidden: [403, m.error_forbidden],
	state: [409, m.dc_error_state],
	own_draft: [409, m.common_error_own_draft],
	changed: [409, m.common_error_changed_since_review],
	bad_choice: [400, m.dc_error_type],
	period: [400, m.dc_error_period],
	area: [400, m.dc_error_area]
});

export function uploadProblemMessage(p: DisclosureUploadProblem): string {
	if (p.kind === 'table') {
		const { code, line } = p.problem;
		return m.dc_error_table({ name: p.name, problem: tableProblem(code), line: line ?? 0 });
	}
	const { code, name } = p.problem;
	switch (code) {
		case 'too_many':
			return m.common_error_files_too_many({ max: 5 });
		case 'too_large':
			return m.common_error_file_too_large({ name, max: 15 });
		case 'empty':
			return m.common_error_file_empty({ name });
		case 'type':
			return m.dc_error_file_type({ name });
		case 'office_legacy':
			return m.dc_error_file_office_legacy({ name });
		case 'unpacked_too_large':
			return m.dc_error_file_unpacked_too_large({ name, max: ZIP_LIMITS.maxUnpackedBytes / MB });
	}
}

function tableProblem(code: string): string {
	const names: Record<string, () => string> = {
		encoding: m.dc_table_encoding,
		empty: m.dc_table_empty,
		no_header: m.dc_table_no_header,
		ragged: m.dc_table_ragged,
		too_many_rows: m.dc_table_too_many_rows,
		too_many_columns: m.dc_table_too_many_columns,
		cell_too_long: m.dc_table_cell_too_long,
		duplicate_header: m.dc_table_duplicate_header,
		parse: m.dc_table_parse
	};
	return (names[code] ?? m.dc_table_parse)();
}
