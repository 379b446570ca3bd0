import { readCsvRows } from '$lib/csv-rows';
import { foldVietnamese } from '$lib/questions/search';
import { readTimeline, type Recurrence } from './timeline';

/**
 * Reads a plan's task matrix from CSV, with the columns of the seeds' appendices ("TT", "Chỉ số
 * nội dung/Nội dung thành phần", "Nhiệm vụ, giải pháp", "Cơ quan chủ trì", "Cơ quan phối hợp",
 * "Thời gian thực hiện", "Chỉ tiêu", "Sản phẩm"). Every row is checked; one bad row refuses the
 * whole file, with every problem and its line. Pure (csv-parse only).
 *
 * The measure cell may hold a code (d2_poor_households), a number as the seeds write it ("2.2",
 * dimension 2, sub-dimension 2, possibly followed by its title) or a title. As in the seeds, an
 * empty measure or timeline cell repeats the row above.
 */
export type MeasureRef = { code: string; number: string; title: string };
export type AgencyRef = { id: number; name: string; slug: string };

export type ImportedTask = {
	line: number;
	number: string;
	measureCode: string | null;
	title: string;
	leadAgencyId: number;
	cooperating: string;
	timeline: string;
	recurrence: Recurrence;
	dueOn: string | null;
	target: string;
	output: string;
};

export type ImportProblem = {
	line: number;
	code:
		| 'encoding'
		| 'parse'
		| 'empty'
		| 'no_task_column'
		| 'no_lead_column'
		| 'task_empty'
		| 'lead_unknown'
		| 'measure_unknown'
		| 'too_long'
		| 'too_many_rows';
	value?: string;
};

export const MAX_TASKS = 1000;
const MAX_CELL = 4000;

type Column = keyof typeof HEADERS;
const HEADERS = {
	number: (h: string) => h === 'tt' || h === 'stt',
	measure: (h: string) =>
		h.includes('chi so noi dung') || h.includes('noi dung thanh phan') || h.includes('tieu chi'),
	title: (h: string) => h.includes('nhiem vu'),
	lead: (h: string) => h.includes('chu tri'),
	cooperating: (h: string) => h.includes('phoi hop'),
	timeline: (h: string) => h.includes('thoi gian'),
	target: (h: string) => h.includes('chi tieu'),
	output: (h: string) => h.includes('san pham') || h.includes('ket qua du kien')
};

function findMeasure(cell: string, measures: readonly MeasureRef[]): MeasureRef | undefined {
	const byCode = measures.find((m) => m.code === cell.trim());
	if (byCode) return byCode;
	const number = /^\s*(\d+(?:\.\d+)?)\.?(?:\s|$)/.exec(cell)?.[1];
	if (number) return measures.find((m) => m.number === number);
	const folded = foldVietnamese(cell);
	return measures.find((m) => foldVietnamese(m.title) === folded);
}

function findAgency(cell: string, agencies: readonly AgencyRef[]): AgencyRef | undefined {
	const folded = foldVietnamese(cell);
	return agencies.find((a) => a.slug === cell.trim() || foldVietnamese(a.name) === folded);
}

export function readTaskMatrix(
	bytes: Uint8Array,
	measures: readonly MeasureRef[],
	agencies: readonly AgencyRef[]
): { tasks: ImportedTask[] } | { problems: ImportProblem[] } {
	const read = readCsvRows(bytes);
	if ('problem' in read) return { problems: [read.problem] };
	const [header, ...rows] = read.rows;
	if (!header || rows.length === 0) return { problems: [{ line: 1, code: 'empty' }] };
	if (rows.length > MAX_TASKS) return { problems: [{ line: 1, code: 'too_many_rows' }] };
	const folded = header.record.map((h) => foldVietnamese(h));
	const column = {} as Record<Column, number>;
	for (const key of Object.keys(HEADERS) as Column[]) {
		column[key] = folded.findIndex((h) => HEADERS[key](h));
	}
	const problems: ImportProblem[] = [];
	if (column.title < 0) problems.push({ line: header.line, code: 'no_task_column' });
	if (column.lead < 0) problems.push({ line: header.line, code: 'no_lead_column' });
	if (problems.length) return { problems };

	const tasks: ImportedTask[] = [];
	let lastMeasure = '';
	let lastTimeline = '';
	for (const { record, line } of rows) {
		const cell = (key: Column) => (column[key] >= 0 ? (record[column[key]] ?? '').trim() : '');
		if (record.some((c) => c.length > MAX_CELL)) {
			problems.push({ line, code: 'too_long' });
			continue;
		}
		const title = cell('title');
		if (!title) {
			problems.push({ line, code: 'task_empty' });
			continue;
		}
		const leadCell = cell('lead');
		const lead = findAgency(leadCell, agencies);
		if (!lead) problems.push({ line, code: 'lead_unknown', value: leadCell });
		const measureCell = cell('measure') || lastMeasure;
		lastMeasure = measureCell;
		const measure = measureCell ? findMeasure(measureCell, measures) : undefined;
		if (measureCell && !measure)
			problems.push({ line, code: 'measure_unknown', value: measureCell });
		const timeline = cell('timeline') || lastTimeline;
		lastTimeline = timeline;
		if (!lead || (measureCell && !measure)) continue;
		const read = readTimeline(timeline);
		tasks.push({
			line,
			number: cell('number'),
			measureCode: measure?.code ?? null,
			title,
			leadAgencyId: lead.id,
			cooperating: cell('cooperating'),
			timeline,
			recurrence: read.recurrence,
			dueOn: read.dueOn,
			target: cell('target'),
			output: cell('output')
		});
	}
	return problems.length ? { problems } : { tasks };
}
