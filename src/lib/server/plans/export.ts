import type { MeasureRef } from '$lib/plans/import';
import { DATE, text, type Column, type ExportTable, type Format } from '../exports/columns';
import type { MeasureRow } from './dashboard';

export const MATRIX_HEADER = [
	'TT',
	'Chỉ số nội dung/Nội dung thành phần',
	'Nhiệm vụ, giải pháp',
	'Cơ quan chủ trì',
	'Cơ quan phối hợp',
	'Thời gian thực hiện',
	'Chỉ tiêu',
	'Sản phẩm',
	'Tình trạng'
];

/** Columns after the import's own, which the import passes over (no header of it matches them). */
export const MATRIX_EXTRA_HEADER = ['Hạn hoàn thành', 'Điểm số đợt gần nhất'];

export type MatrixTask = {
	number: string;
	measure_code: string | null;
	title: string;
	leadVi: string;
	cooperating: string;
	timeline: string;
	due_on: Date | string | null;
	target: string;
	output: string;
	status: string;
};

type Line = { task: MatrixTask; measure?: MeasureRef; score?: MeasureRow };

/** A score as the plan's page shows it: a share as a percentage with one decimal, else two. */
const scoreFormat = (l: Line): Format =>
	l.score?.range === 1 ? { type: 'percent', digits: 1 } : { type: 'number', digits: 2 };

/**
 * The task matrix as an export, in the import's own columns (so that its CSV imports again),
 * then each task's due date and the latest published score of its measure (empty when hidden).
 */
export function matrixExport(
	tasks: readonly MatrixTask[],
	measures: readonly MeasureRef[],
	scores: readonly MeasureRow[]
): ExportTable<Line> {
	const [number, measure, title, lead, cooperating, timeline, target, output, status] =
		MATRIX_HEADER as [string, string, string, string, string, string, string, string, string];
	const [due, score] = MATRIX_EXTRA_HEADER as [string, string];
	const columns: Column<Line>[] = [
		text(number, (l) => l.task.number, 6),
		text(measure, (l) => (l.measure ? `${l.measure.number}. ${l.measure.title}` : ''), 36),
		text(title, (l) => l.task.title, 60),
		text(lead, (l) => l.task.leadVi, 30),
		text(cooperating, (l) => l.task.cooperating, 30),
		text(timeline, (l) => l.task.timeline, 18),
		text(target, (l) => l.task.target, 30),
		text(output, (l) => l.task.output, 30),
		text(status, (l) => l.task.status, 12),
		{ header: due, format: DATE, value: (l) => l.task.due_on, width: 14 },
		{
			header: score,
			format: scoreFormat,
			value: (l) => (l.score && !l.score.suppressed ? l.score.latest?.estimate : null),
			width: 14
		}
	];
	return {
		columns,
		rows: tasks.map((task) => ({
			task,
			measure: measures.find((x) => x.code === task.measure_code),
			score: scores.find((x) => x.code === task.measure_code)
		}))
	};
}
