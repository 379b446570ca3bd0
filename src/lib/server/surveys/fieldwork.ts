import { idParam as idParamOf } from '../http/params';
import { sql } from 'kysely';
import { m } from '$lib/paraglide/messages';
import type { SessionUser } from '../auth/session';
import { getDb } from '../db';
import { refuseSurvey, unitsRefused } from './refusals';
import { fieldworkScope, mayRunWave, unitsOutside } from './permissions';
import { unitsWithAncestry } from './scope';
import { createWave, type NewWave } from './waves';
import type { Db } from '../db';
import type { WaveStatus } from '../db/schema';

export type InstrumentSummary = {
	id: number;
	slug: string;
	kind: string;
	versions: {
		id: number;
		version: number;
		status: 'draft' | 'published';
		title: { vi: string; en: string };
	}[];
};

export async function listInstruments(db: Db): Promise<InstrumentSummary[]> {
	const rows = await db
		.selectFrom('instrument as i')
		.innerJoin('instrument_version as v', 'v.instrument_id', 'i.id')
		.select([
			'i.id',
			'i.slug',
			'i.kind',
			'v.id as version_id',
			'v.version',
			'v.status',
			sql<{ vi: string; en: string }>`v.spec -> 'title'`.as('title')
		])
		.orderBy('i.id')
		.orderBy('v.version', 'desc')
		.execute();
	const byId = new Map<number, InstrumentSummary>();
	for (const r of rows) {
		const entry = byId.get(r.id) ?? { id: r.id, slug: r.slug, kind: r.kind, versions: [] };
		entry.versions.push({ id: r.version_id, version: r.version, status: r.status, title: r.title });
		byId.set(r.id, entry);
	}
	return [...byId.values()];
}

export type WaveSummary = {
	id: number;
	slug: string;
	title: { vi: string; en: string };
	status: WaveStatus;
	layout: 'paged' | 'single';
	accessMode: 'open' | 'invitation';
	resultsMode: 'after_close' | 'live';
	versionId: number;
	instrument: string;
	version: number;
	responses: number;
	/** of which entered by field interviewers */
	interviewed: number;
	target: number | null;
	closesOn: string | null;
	unitIds: number[];
	units: string[];
	invitations: { total: number; used: number };
};

export async function waveSummaries(db: Db, waveId?: number): Promise<WaveSummary[]> {
	let query = db
		.selectFrom('survey_wave as w')
		.innerJoin('instrument_version as v', 'v.id', 'w.instrument_version_id')
		.innerJoin('instrument as i', 'i.id', 'v.instrument_id')
		.select((eb) => [
			'w.id',
			'w.slug',
			'w.title_vi',
			'w.title_en',
			'w.status',
			'w.layout',
			'w.access_mode',
			'w.results_mode',
			'w.instrument_version_id',
			'w.target_responses',
			'w.closes_on',
			'i.slug as instrument',
			'v.version',
			eb
				.selectFrom('survey_response as r')
				.select((e) => e.fn.countAll<number>().as('n'))
				.whereRef('r.wave_id', '=', 'w.id')
				.as('responses'),
			eb
				.selectFrom('survey_response as r')
				.select((e) => e.fn.countAll<number>().as('n'))
				.whereRef('r.wave_id', '=', 'w.id')
				.where('r.mode', '=', 'interviewer')
				.as('interviewed'),
			eb
				.selectFrom('invitation_tally as it')
				.select('it.issued')
				.whereRef('it.wave_id', '=', 'w.id')
				.as('codes'),
			// a used code is deleted (see redeemInvitation): used = issued - still unused
			eb
				.selectFrom('invitation_code as c')
				.select((e) => e.fn.countAll<number>().as('n'))
				.whereRef('c.wave_id', '=', 'w.id')
				.as('unused')
		])
		.orderBy('w.id', 'desc');
	if (waveId !== undefined) query = query.where('w.id', '=', waveId);
	const rows = await query.execute();
	const units = await db
		.selectFrom('survey_wave_unit as wu')
		.innerJoin('admin_unit as u', 'u.id', 'wu.unit_id')
		.select(['wu.wave_id', 'u.id', 'u.code', 'u.name'])
		.where('wu.wave_id', 'in', rows.length ? rows.map((r) => r.id) : [0])
		.execute();
	return rows.map((r) => ({
		id: r.id,
		slug: r.slug,
		title: { vi: r.title_vi, en: r.title_en },
		status: r.status,
		layout: r.layout,
		accessMode: r.access_mode,
		resultsMode: r.results_mode,
		versionId: r.instrument_version_id,
		instrument: r.instrument,
		version: r.version,
		responses: Number(r.responses ?? 0),
		interviewed: Number(r.interviewed ?? 0),
		target: r.target_responses,
		closesOn: r.closes_on,
		unitIds: units.filter((u) => u.wave_id === r.id).map((u) => u.id),
		units: units.filter((u) => u.wave_id === r.id).map((u) => `${u.name} (${u.code})`),
		invitations: {
			total: Number(r.codes ?? 0),
			used: Math.max(0, Number(r.codes ?? 0) - Number(r.unused ?? 0))
		}
	}));
}

/** The waves whose every unit lies within the staff member's scope, newest first. */
export async function wavesInScope(db: Db, user: SessionUser): Promise<WaveSummary[]> {
	const waves = await waveSummaries(db);
	const units = await unitsWithAncestry(
		db,
		waves.flatMap((w) => w.unitIds)
	);
	return waves.filter((w) => mayRunWave(user.grants, { ...units, ids: w.unitIds }));
}

/** Current units by official code; returns the ids found and the codes not found. */
export async function currentUnitsByCode(
	db: Db,
	codes: string[]
): Promise<{ ids: number[]; unknown: string[] }> {
	if (codes.length === 0) return { ids: [], unknown: [] };
	const rows = await db
		.selectFrom('admin_unit')
		.select(['id', 'code'])
		.where('code', 'in', codes)
		.where('valid_to', 'is', null)
		.execute();
	return {
		ids: rows.map((r) => r.id),
		unknown: codes.filter((c) => !rows.some((r) => r.code === c))
	};
}

/** The wave, if every unit it covers is within the staff member's scope; else refused (404, 403). */
export async function managedWave(user: SessionUser, idParam: string): Promise<WaveSummary> {
	const db = await getDb();
	const [wave] = await waveSummaries(db, idParamOf(idParam));
	if (!wave) throw refuseSurvey('not_found');
	if (!mayRunWave(user.grants, await unitsWithAncestry(db, wave.unitIds))) {
		throw refuseSurvey('forbidden');
	}
	return wave;
}

export type WavePlan = Omit<NewWave, 'unitIds'> & { versionId: number; unitCodes: string };

/**
 * A new wave from the form's plan: its units must be in force and within the staff member's
 * scope, its code unused and its questionnaire version published. Returns the new wave's id.
 */
export async function planWave(db: Db, user: SessionUser, plan: WavePlan): Promise<number> {
	const { unitCodes, ...wave } = plan;
	const codes = [...new Set(unitCodes.split(/[\s,;]+/).filter(Boolean))];
	const units = await currentUnitsByCode(db, codes);
	if (units.unknown.length) {
		const list = units.unknown.join(', ');
		throw unitsRefused(400, () => m.fw_units_unknown({ codes: list }));
	}
	const outside = unitsOutside(fieldworkScope(user.grants), await unitsWithAncestry(db, units.ids));
	if (outside.length) {
		const rows = await db
			.selectFrom('admin_unit')
			.select('code')
			.where('id', 'in', outside)
			.execute();
		const list = rows.map((n) => n.code).join(', ');
		throw unitsRefused(403, () => m.fw_units_out_of_scope({ codes: list }));
	}
	const taken = await db
		.selectFrom('survey_wave')
		.select('id')
		.where('slug', '=', wave.slug)
		.executeTakeFirst();
	if (taken) throw refuseSurvey('slug_taken', 'slug');
	const version = await db
		.selectFrom('instrument_version')
		.select('status')
		.where('id', '=', wave.versionId)
		.executeTakeFirst();
	if (version?.status !== 'published') throw refuseSurvey('version', 'versionId');
	return createWave(db, { ...wave, unitIds: units.ids }, user.id);
}
