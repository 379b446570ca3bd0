import { sql } from 'kysely';
import type { Staff } from '$lib/auth/access';
import {
	marginVariables,
	parseMargins,
	respondentValues,
	vocabularyOf,
	type MarginProblem,
	type VariableInfo
} from '$lib/analytics/margins';
import {
	rake,
	type RakingMargin,
	type RakingOptions,
	type RakingRefusal,
	type RakingReport,
	type RakingRespondent
} from '$lib/analytics/raking';
import { audit } from '../audit';
import { inTransaction, type Db } from '../db';
import { recomputeWave } from '../analytics/aggregate';
import { refreshSnapshots } from '../analytics/snapshot';
import { specOfVersion } from './instruments';
import { mayRunWave } from './permissions';
import { unitsWithAncestry, waveUnitIds } from './scope';

/**
 * A wave raked to population margins (see src/lib/analytics/raking.ts for the method): the
 * margins are saved and the final weights stored in one transaction, or nothing changes; then
 * the wave's analytics are rebuilt from the raw answers with the new weights.
 */

export type WaveRaking = {
	margins: RakingMargin[];
	source: string;
	illustrative: boolean;
	/** null when the design weights changed after the raking: the design weights apply */
	raked: { at: Date; responses: number; report: RakingReport } | null;
};

/** The wave's margins and its raking, or null when it has none. */
export async function waveRaking(db: Db, waveId: number): Promise<WaveRaking | null> {
	const row = await db
		.selectFrom('survey_wave_raking')
		.selectAll()
		.where('wave_id', '=', waveId)
		.executeTakeFirst();
	if (!row) return null;
	const lines = await db
		.selectFrom('survey_wave_margin')
		.select(['variable', 'category', 'population'])
		.where('wave_id', '=', waveId)
		.orderBy('position')
		.execute();
	const byVariable = new Map<string, { category: string; population: number }[]>();
	for (const l of lines) {
		const categories = byVariable.get(l.variable) ?? [];
		categories.push({ category: l.category, population: Number(l.population) });
		byVariable.set(l.variable, categories);
	}
	const margins: RakingMargin[] = [...byVariable].map(([variable, categories]) => ({
		variable,
		categories
	}));
	return {
		margins,
		source: row.source,
		illustrative: row.illustrative,
		raked:
			row.raked_at && row.report && row.responses
				? { at: row.raked_at, responses: row.responses, report: row.report }
				: null
	};
}

/** The variables the wave's margins may use: its instrument's demographics, and urban_rural. */
export async function waveMarginVariables(db: Db, waveId: number): Promise<VariableInfo[]> {
	const { instrument_version_id } = await db
		.selectFrom('survey_wave')
		.select('instrument_version_id')
		.where('id', '=', waveId)
		.executeTakeFirstOrThrow();
	return marginVariables(await specOfVersion(db, instrument_version_id));
}

export type RakeInput = {
	/** the margins as pasted (see parseMargins) */
	text: string;
	source: string;
	illustrative: boolean;
};

export type RakeOutcome =
	| { ok: true; report: RakingReport }
	| { ok: false; reason: 'forbidden' }
	| { ok: false; reason: 'margins'; problems: MarginProblem[] }
	| { ok: false; reason: 'no-respondents' }
	| { ok: false; reason: 'categories'; refusals: (RakingRefusal & { line: number })[] }
	| { ok: false; reason: 'not-converged'; report: RakingReport };

const PAGE = 5000;

/** Every response of the wave with its design weight and its values of the margins' variables. */
async function respondentsOf(
	db: Db,
	waveId: number,
	variables: ReadonlyMap<string, readonly string[]>
): Promise<{ ids: string[]; respondents: RakingRespondent[] }> {
	const ids: string[] = [];
	const respondents: RakingRespondent[] = [];
	for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
		const { rows } = await sql<{
			id: string;
			answers: string;
			unit_name: string | null;
			weight: number;
		}>`
			select r.id, r.closed_answers as answers, u.name as unit_name,
				coalesce(ww.weight, 1) as weight
			from survey_response r
			left join admin_unit u on u.id = r.unit_id
			left join survey_wave_weight ww on ww.wave_id = r.wave_id and ww.unit_id = r.unit_id
			where r.wave_id = ${waveId} and r.id > ${after}
			order by r.id
			limit ${PAGE}`.execute(db);
		for (const r of rows) {
			ids.push(r.id);
			respondents.push({
				weight: Number(r.weight),
				values: respondentValues(r.answers, r.unit_name, variables)
			});
		}
		if (rows.length < PAGE) return { ids, respondents };
		after = rows.at(-1)!.id;
	}
}

/**
 * Saves the margins and stores the raked weights of every response of the wave, in one
 * transaction; nothing changes when the margins do not parse, a category cannot be fitted or
 * the raking does not converge. No access check and no recomputation of the analytics: for
 * `rakeWave` and the demo seed (whose responses are still queued for the aggregator).
 */
export async function applyRaking(
	db: Db,
	waveId: number,
	input: RakeInput,
	actorId: string | null,
	options: Partial<RakingOptions> = {}
): Promise<Exclude<RakeOutcome, { reason: 'forbidden' }>> {
	const vocabulary = vocabularyOf(await waveMarginVariables(db, waveId));
	const { margins, problems } = parseMargins(input.text, vocabulary);
	if (problems.length) return { ok: false, reason: 'margins', problems };

	return inTransaction(db, async (trx) => {
		// one raking or change of design weights of a wave at a time
		await sql`select id from survey_wave where id = ${waveId} for update`.execute(trx);
		const { ids, respondents } = await respondentsOf(trx, waveId, vocabulary);
		const result = rake(respondents, margins, options);
		if (!result.ok) {
			if (result.reason === 'no-respondents') return result;
			const lineOf = (r: RakingRefusal) => {
				const margin = margins.find((m) => m.variable === r.variable)!;
				const category = margin.categories.find((c) => c.category === r.category);
				return (category ?? margin.categories[0]!).line;
			};
			return {
				ok: false,
				reason: 'categories',
				refusals: result.refusals.map((r) => ({ ...r, line: lineOf(r) }))
			};
		}
		const { report, weights } = result;
		if (!report.converged) return { ok: false, reason: 'not-converged', report };

		await trx.deleteFrom('survey_wave_raking').where('wave_id', '=', waveId).execute();
		const now = new Date();
		await trx
			.insertInto('survey_wave_raking')
			.values({
				wave_id: waveId,
				source: input.source,
				illustrative: input.illustrative,
				saved_at: now,
				saved_by: actorId,
				raked_at: now,
				responses: ids.length,
				report: JSON.stringify(report)
			})
			.execute();
		await trx
			.insertInto('survey_wave_margin')
			.values(
				margins.flatMap((m) =>
					m.categories.map((c) => ({
						wave_id: waveId,
						position: c.line,
						variable: m.variable,
						category: c.category,
						population: c.population
					}))
				)
			)
			.execute();
		for (let at = 0; at < ids.length; at += PAGE)
			await sql`
				update survey_response r set raked_weight = v.weight
				from unnest(${ids.slice(at, at + PAGE)}::uuid[],
					${weights.slice(at, at + PAGE)}::float8[]) as v(id, weight)
				where r.id = v.id and r.wave_id = ${waveId}`.execute(trx);
		await audit(trx, {
			actorId,
			action: 'wave.rake',
			entityType: 'survey_wave',
			entityId: waveId,
			details: {
				responses: ids.length,
				margins: margins.map((m) => m.variable),
				illustrative: input.illustrative,
				iterations: report.iterations,
				trimmed: report.trimmed
			}
		});
		return { ok: true, report };
	});
}

/** Whether the staff member may change the wave (mayRunWave on its units). */
async function mayRake(db: Db, staff: Staff, waveId: number): Promise<boolean> {
	return mayRunWave(staff.grants, await unitsWithAncestry(db, await waveUnitIds(db, waveId)));
}

/** Rakes the wave to the margins (see applyRaking), then rebuilds its analytics. */
export async function rakeWave(
	db: Db,
	staff: Staff,
	waveId: number,
	input: RakeInput
): Promise<RakeOutcome> {
	if (!(await mayRake(db, staff, waveId))) return { ok: false, reason: 'forbidden' };
	const outcome = await applyRaking(db, waveId, input, staff.id);
	if (outcome.ok) {
		await recomputeWave(db, waveId);
		await refreshSnapshots(db, { only: waveId });
	}
	return outcome;
}

/** Drops the wave's margins and raked weights: the design weights apply again. */
export async function removeRaking(db: Db, staff: Staff, waveId: number): Promise<{ ok: boolean }> {
	if (!(await mayRake(db, staff, waveId))) return { ok: false };
	const removed = await inTransaction(db, async (trx) => {
		await sql`select id from survey_wave where id = ${waveId} for update`.execute(trx);
		const gone = await trx
			.deleteFrom('survey_wave_raking')
			.where('wave_id', '=', waveId)
			.executeTakeFirst();
		await unrake(trx, waveId);
		await audit(trx, {
			actorId: staff.id,
			action: 'wave.unrake',
			entityType: 'survey_wave',
			entityId: waveId
		});
		return Number(gone.numDeletedRows) > 0;
	});
	if (removed) {
		await recomputeWave(db, waveId);
		await refreshSnapshots(db, { only: waveId });
	}
	return { ok: true };
}

/**
 * Forgets the raked weights (the margins stay): for a change of the design weights, which the
 * raking started from. Returns whether there were any. In the caller's transaction.
 */
export async function unrake(trx: Db, waveId: number): Promise<boolean> {
	await trx
		.updateTable('survey_wave_raking')
		.set({ raked_at: null, responses: null, report: null })
		.where('wave_id', '=', waveId)
		.execute();
	const { numUpdatedRows } = await trx
		.updateTable('survey_response')
		.set({ raked_weight: null })
		.where('wave_id', '=', waveId)
		.where('raked_weight', 'is not', null)
		.executeTakeFirst();
	return Number(numUpdatedRows) > 0;
}
