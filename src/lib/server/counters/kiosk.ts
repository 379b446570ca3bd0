import type { RawAnswers } from '$lib/surveys/answers';
import { config } from '../config';
import type { Db } from '../db';
import { hit } from '../security/rate-limit';
import { submitLimited } from '../surveys/refusals';
import { submitSurvey } from '../surveys/take';
import { getWaveCached, type Wave } from '../surveys/waves';
import { kioskTokenHash } from './counters';
import { refuseCounter } from './refusals';

export type Kiosk = {
	kioskId: number;
	counter: { id: number; name: string; fields: string[]; agencyName: { vi: string; en: string } };
	wave: Wave;
};

/** The counter and wave behind a kiosk link, or nothing for an unknown or revoked token. */
export async function kioskByToken(db: Db, token: string): Promise<Kiosk | null> {
	if (!/^[\w-]{43}$/.test(token)) return null;
	const row = await db
		.selectFrom('counter_kiosk as k')
		.innerJoin('counter as c', 'c.id', 'k.counter_id')
		.innerJoin('agency as a', 'a.id', 'c.agency_id')
		.innerJoin('survey_wave as w', 'w.id', 'c.wave_id')
		.select(['k.id', 'c.id as counterId', 'c.name', 'c.fields', 'a.name_vi', 'a.name_en', 'w.slug'])
		.where('k.token_hash', '=', kioskTokenHash(token))
		.where('k.revoked_at', 'is', null)
		.where('c.archived_at', 'is', null)
		.executeTakeFirst();
	if (!row) return null;
	const wave = await getWaveCached(db, row.slug);
	if (!wave) return null;
	return {
		kioskId: row.id,
		counter: {
			id: row.counterId,
			name: row.name,
			fields: row.fields,
			agencyName: { vi: row.name_vi, en: row.name_en }
		},
		wave
	};
}

export type KioskHanding = { answers: RawAnswers; field: string; submitKey: string };

/**
 * Hands in one citizen's rating at a counter. The kiosk link must still be valid (checked by the
 * caller through kioskByToken), the field one of the counter's, and the tablet within its hourly
 * allowance (KIOSK_SUBMITS_PER_HOUR). The rest is the web survey's submission: the same checks,
 * the same idempotency key (a resend after a network drop returns the first receipt), the hour
 * only; the response also names the counter and the field.
 */
export async function submitAtKiosk(db: Db, kiosk: Kiosk, h: KioskHanding): Promise<string> {
	if (kiosk.wave.status !== 'open') throw refuseCounter('not_found');
	if (!kiosk.counter.fields.includes(h.field)) throw refuseCounter('field', 'field');
	return submitSurvey(db, kiosk.wave, {
		answers: h.answers,
		mode: 'web',
		submitKey: h.submitKey,
		counter: { id: kiosk.counter.id, field: h.field },
		admit: async () => {
			const limit = await hit(db, `kiosk:${kiosk.kioskId}`, {
				max: config().kioskSubmitsPerHour,
				windowSeconds: 3600
			});
			if (limit.limited) throw submitLimited(limit.retryAfterSeconds);
		}
	});
}
