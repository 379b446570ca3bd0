import { sql } from 'kysely';
import { CSV_BOM, csvLine, type CsvValue } from '$lib/analytics/csv';
import type { InstrumentSpec } from '$lib/surveys/spec';
import type { Db } from '../db';

/**
 * A wave's anonymous microdata as CSV, one row per response, streamed page by page so that a
 * million responses never sit in memory. A row holds what the response row holds (commune code,
 * mode, submission day, design weight) and every closed answer: option codes (several joined by
 * ";") and numbers. Free-text answers are left out: they are the one thing that can name a
 * person, and they are never shown for small groups either.
 */
const PAGE = 5000;

type Page = {
	id: string;
	unit: string | null;
	mode: string;
	day: string;
	weight: number;
	answers: Record<string, string> | null;
};

export function microdataColumns(spec: InstrumentSpec): string[] {
	return spec.sections.flatMap((s) =>
		s.parts.flatMap((p) =>
			p.questions.filter((q) => q.type !== 'text' && q.type !== 'longtext').map((q) => q.code)
		)
	);
}

async function page(db: Db, waveId: number, after: string): Promise<Page[]> {
	const { rows } = await sql<Page>`
		select r.id, u.code as unit, r.mode, to_char(r.submitted_hour, 'YYYY-MM-DD') as day,
			coalesce(ww.weight, 1) as weight,
			(select json_object_agg(x.q, x.v) from (
				select a.question_code as q,
					string_agg(coalesce(a.option_code, a.value_num::text), ';' order by a.option_code) as v
				from survey_answer a
				where a.response_id = r.id and a.value_text is null
				group by a.question_code) x) as answers
		from survey_response r
		left join admin_unit u on u.id = r.unit_id
		left join survey_wave_weight ww on ww.wave_id = r.wave_id and ww.unit_id = r.unit_id
		where r.wave_id = ${waveId} and r.id > ${after}
		order by r.id
		limit ${PAGE}`.execute(db);
	return rows;
}

export function microdataStream(
	db: Db,
	waveId: number,
	spec: InstrumentSpec,
	header: { row: string; unit: string; mode: string; day: string; weight: string }
): ReadableStream<Uint8Array> {
	const columns = microdataColumns(spec);
	const numeric = new Set(
		spec.sections.flatMap((s) =>
			s.parts.flatMap((p) => p.questions.filter((q) => q.type === 'number').map((q) => q.code))
		)
	);
	const encoder = new TextEncoder();
	let after = '00000000-0000-0000-0000-000000000000';
	let row = 0;
	let started = false;
	return new ReadableStream({
		async pull(controller) {
			if (!started) {
				started = true;
				controller.enqueue(
					encoder.encode(
						CSV_BOM +
							csvLine([header.row, header.unit, header.mode, header.day, header.weight, ...columns])
					)
				);
				return;
			}
			const rows = await page(db, waveId, after);
			if (!rows.length) {
				controller.close();
				return;
			}
			let chunk = '';
			for (const r of rows) {
				const answers = r.answers ?? {};
				const values: CsvValue[] = columns.map((c) => {
					const v = answers[c];
					return v !== undefined && numeric.has(c) ? Number(v) : v;
				});
				chunk += csvLine([++row, r.unit, r.mode, r.day, Number(r.weight), ...values]);
			}
			after = rows.at(-1)!.id;
			controller.enqueue(encoder.encode(chunk));
		}
	});
}
