import { sql } from 'kysely';
import { CSV_BOM, csvLine, type CsvValue } from '$lib/analytics/csv';
import { allQuestions, type InstrumentSpec } from '$lib/surveys/spec';
import type { Db } from '../db';
import { closedAnswerOptions } from '../surveys/submit';

/**
 * A wave's anonymous microdata as CSV, one row per response, streamed page by page so that a
 * million responses never sit in memory. A row holds what the response row holds (commune code,
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

export function microdataColumns(spec: InstrumentSpec): string[] {
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

export function microdataStream(
	db: Db,
	waveId: number,
	spec: InstrumentSpec,
	header: MicrodataHeader,
	designed: boolean
): ReadableStream<Uint8Array> {
	const columns = microdataColumns(spec);
	const numeric = new Set(
		allQuestions(spec)
			.filter((q) => q.type === 'number')
			.map((q) => q.code)
	);
	const encoder = new TextEncoder();
	let row = 0;
	let started = false;
	// the next page is asked for while this one is written, so the database and the CSV
	// encoding work at the same time
	const ask = (after: string) => {
		const asked = page(db, waveId, after);
		asked.catch(() => {}); // awaited in pull; never an unhandled rejection if nobody pulls
		return asked;
	};
	let next: Promise<Page[]> | null = ask('00000000-0000-0000-0000-000000000000');
	return new ReadableStream({
		async pull(controller) {
			if (!started) {
				started = true;
				controller.enqueue(
					encoder.encode(
						CSV_BOM +
							csvLine([
								header.row,
								header.unit,
								header.mode,
								header.day,
								header.weight,
								header.designWeight,
								header.stratum,
								header.psu,
								...columns
							])
					)
				);
				return;
			}
			const rows = next ? await next : [];
			if (rows.length < PAGE) next = null;
			else next = ask(rows.at(-1)!.id);
			if (!rows.length) {
				controller.close();
				return;
			}
			let chunk = '';
			for (const r of rows) {
				const answers = answersOf(r.answers);
				const values: CsvValue[] = columns.map((c) => {
					const v = answers.get(c);
					return v !== undefined && numeric.has(c) ? Number(v) : v;
				});
				++row;
				const design = designed ? [r.stratum, r.unit ?? `r${row}`] : [null, null];
				chunk += csvLine([
					row,
					r.unit,
					r.mode,
					r.day,
					Number(r.weight),
					Number(r.design_weight),
					...design,
					...values
				]);
			}
			controller.enqueue(encoder.encode(chunk));
		},
		cancel() {
			next = null;
		}
	});
}
