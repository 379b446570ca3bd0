import { sql } from 'kysely';
import {
	csvStream,
	DATE,
	INTEGER,
	text,
	type Column,
	type ExportTable,
	type Format
} from '../exports/columns';
import { allQuestions, type InstrumentSpec } from '$lib/surveys/spec';
import type { Db } from '../db';
import { closedAnswerOptions } from '../surveys/submit';

/**
 * A wave's anonymous microdata, one row per response: as CSV streamed page by page so that a
 * million responses never sit in memory, or as a workbook for a wave of a size Excel handles. A row holds what the response row holds (commune code,
 * mode, submission day, final weight (the raked one if the wave was raked) and design weight),
 * for a designed sample its stratum and primary sampling unit (the commune; a response without
 * one is its own), and every closed answer: option codes (several joined by ";") and numbers.
 * Free-text answers are left out: they are the one thing that can name a person, and they are
 * never shown for small groups either. Only the responses the published snapshot covers are
 * exported, so the file moves with the numbers (in steps of k on a live wave), never by one
 * response.
 */
const PAGE = 5000;

type Page = {
	id: string;
	unit: string | null;
	mode: string;
	day: string;
	weight: number;
	design_weight: number;
	stratum: string;
	/** "question=option&question=12&…" as stored with the response (codes never hold = or &) */
	answers: string | null;
};

/** The closed questions, whose answers the file holds (free text never). */
function answerColumns(spec: InstrumentSpec): string[] {
	return allQuestions(spec)
		.filter((q) => q.type !== 'text' && q.type !== 'longtext')
		.map((q) => q.code);
}

async function page(db: Db, waveId: number, after: string): Promise<Page[]> {
	const { rows } = await sql<Page>`
		select r.id, u.code as unit, r.mode, to_char(r.submitted_hour, 'YYYY-MM-DD') as day,
			coalesce(r.raked_weight, ww.weight, 1) as weight, coalesce(ww.weight, 1) as design_weight,
			coalesce(ww.stratum, '') as stratum,
			r.closed_answers as answers
		from survey_response r
		left join admin_unit u on u.id = r.unit_id
		left join survey_wave_weight ww on ww.wave_id = r.wave_id and ww.unit_id = r.unit_id
		where r.wave_id = ${waveId} and r.id > ${after}
			and not exists (select from analytics_queue q where q.response_id = r.id)
		order by r.id
		limit ${PAGE}`.execute(db);
	return rows;
}

/** A response's answers by question, several options joined by ";". */
const answersOf = (text: string | null): Map<string, string> =>
	new Map(closedAnswerOptions(text ?? '').map((a) => [a.code, a.options.join(';')]));

export type MicrodataHeader = {
	row: string;
	unit: string;
	mode: string;
	day: string;
	weight: string;
	designWeight: string;
	stratum: string;
	psu: string;
};

/** One response as exported: its number in the file, its row and its answers by question. */
export type MicrodataLine = { row: number; response: Page; answers: Map<string, string> };

/** Weights with six decimals: enough to recompute any estimate, without binary noise. */
const WEIGHT: Format = { type: 'number', digits: 6 };
/** A number someone answered, as they answered it. */
const ANSWERED: Format = { type: 'number' };

export function microdataColumns(
	spec: InstrumentSpec,
	header: MicrodataHeader,
	designed: boolean
): Column<MicrodataLine>[] {
	const numeric = new Set(
		allQuestions(spec)
			.filter((q) => q.type === 'number')
			.map((q) => q.code)
	);
	return [
		{ header: header.row, format: INTEGER, value: (l) => l.row },
		text(header.unit, (l) => l.response.unit),
		text(header.mode, (l) => l.response.mode),
		{ header: header.day, format: DATE, value: (l) => l.response.day, width: 12 },
		{ header: header.weight, format: WEIGHT, value: (l) => Number(l.response.weight) },
		{ header: header.designWeight, format: WEIGHT, value: (l) => Number(l.response.design_weight) },
		text(header.stratum, (l) => (designed ? l.response.stratum : null)),
		// a response without a commune is its own primary sampling unit
		text(header.psu, (l) => (designed ? (l.response.unit ?? `r${l.row}`) : null)),
		...answerColumns(spec).map((code): Column<MicrodataLine> =>
			numeric.has(code)
				? {
						header: code,
						format: ANSWERED,
						value: (l) => {
							const v = l.answers.get(code);
							return v === undefined ? v : Number(v);
						}
					}
				: text(code, (l) => l.answers.get(code))
		)
	];
}

/**
 * The wave's responses page by page, numbered in the file's order. The next page is asked for
 * while this one is written, so the database and the encoding work at the same time.
 */
export async function* microdataLines(db: Db, waveId: number): AsyncGenerator<MicrodataLine[]> {
	const ask = (after: string) => {
		const asked = page(db, waveId, after);
		asked.catch(() => {}); // awaited below; never an unhandled rejection if nobody reads on
		return asked;
	};
	let row = 0;
	let next: Promise<Page[]> | null = ask('00000000-0000-0000-0000-000000000000');
	while (next) {
		const rows: Page[] = await next;
		next = rows.length < PAGE ? null : ask(rows.at(-1)!.id);
		if (!rows.length) return;
		yield rows.map((response) => ({ row: ++row, response, answers: answersOf(response.answers) }));
	}
}

/** The microdata as CSV, streamed page by page. */
export function microdataStream(
	db: Db,
	waveId: number,
	spec: InstrumentSpec,
	header: MicrodataHeader,
	designed: boolean
): ReadableStream<Uint8Array> {
	return csvStream(microdataColumns(spec, header, designed), microdataLines(db, waveId));
}

/**
 * The most responses the microdata workbook holds: a workbook is built in memory (and Excel
 * stops at 1,048,576 rows); a larger wave is exported as CSV only.
 */
export const MICRODATA_XLSX_MAX = 50_000;

/** The microdata as an export table, for the workbook (at most MICRODATA_XLSX_MAX rows). */
export async function microdataTable(
	db: Db,
	waveId: number,
	spec: InstrumentSpec,
	header: MicrodataHeader,
	designed: boolean
): Promise<ExportTable<MicrodataLine>> {
	const rows: MicrodataLine[] = [];
	for await (const lines of microdataLines(db, waveId)) {
		rows.push(...lines);
		if (rows.length > MICRODATA_XLSX_MAX) break;
	}
	return {
		columns: microdataColumns(spec, header, designed),
		rows: rows.slice(0, MICRODATA_XLSX_MAX)
	};
}
