import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { isDossierCode, MAX_CODE, normalizeCode } from '$lib/dossiers/records';
import { config } from '../config';
import type { Db } from '../db';
import { clientKey, hit, type LimitResult } from '../security/rate-limit';
import { dossierCodeHash } from './codes';
import { refuse } from './refusals';

/**
 * A citizen's rating of one dossier by its code, on the criteria provincial portals use. The
 * rating is written with its dossier's agency, field and channel and the month (Việt Nam time),
 * never with the dossier, the code, the day or the client; the dossier only records that it was
 * rated, which is what refuses a second rating.
 */
export const TIMELINESS = ['early', 'on_time', 'late'] as const;
/** 4 stands for "four times or more" */
export const VISITS = [1, 2, 3, 4] as const;
export const SCORE = [1, 2, 3, 4, 5] as const;

const score = (say: () => string) =>
	z
		.string({ error: say })
		.regex(/^[1-5]$/, { error: say })
		.transform(Number);

export function ratingSchema() {
	return z.object({
		code: z
			.string({ error: () => m.dossier_rate_code_missing() })
			.transform(normalizeCode)
			.pipe(
				z
					.string()
					.min(1, { error: () => m.dossier_rate_code_missing() })
					.max(MAX_CODE, { error: () => m.common_error_too_long({ max: MAX_CODE }) })
					.refine(isDossierCode, { error: () => m.dossier_code_invalid() })
			),
		overall: score(() => m.dossier_rate_choose()),
		attitude: score(() => m.dossier_rate_choose()),
		harassed: z.enum(['yes', 'no'], { error: () => m.dossier_rate_choose() }),
		timeliness: z.enum(TIMELINESS, { error: () => m.dossier_rate_choose() }),
		visits: z
			.string({ error: () => m.dossier_rate_choose() })
			.regex(/^[1-4]$/, { error: () => m.dossier_rate_choose() })
			.transform(Number),
		waiting: z
			.string({ error: () => m.dossier_rate_waiting_invalid() })
			.trim()
			.regex(/^\d{1,3}$/, { error: () => m.dossier_rate_waiting_invalid() })
			.transform(Number)
			.refine((n) => n <= 480, { error: () => m.dossier_rate_waiting_invalid() }),
		transparency: score(() => m.dossier_rate_choose())
	});
}

export type RatingInput = z.infer<ReturnType<typeof ratingSchema>>;

/** The first day of `now`'s month in Việt Nam (UTC+7, no daylight saving). */
export function ratingMonth(now: Date): string {
	return `${new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 7)}-01`;
}

/**
 * Guessing codes is slowed per client without identifying anyone (the daily-rotating HMAC of the
 * address); a counter's shared address still rates a few dozen dossiers an hour.
 */
export const RATING_LIMIT = { max: 30, windowSeconds: 3600 };

export async function hitRatingLimit(db: Db, address: string): Promise<LimitResult> {
	return hit(db, `dossier-rating:${clientKey(address, config().appSecret)}`, RATING_LIMIT);
}

export async function rateDossier(db: Db, input: RatingInput, now = new Date()): Promise<void> {
	const hash = dossierCodeHash(input.code);
	await db.transaction().execute(async (trx) => {
		const dossier = await trx
			.updateTable('dossier')
			.set({ rated: true })
			.where('code_hash', '=', hash)
			.where('rated', '=', false)
			.returning(['agency_id', 'field', 'channel'])
			.executeTakeFirst();
		if (!dossier) {
			const known = await trx
				.selectFrom('dossier')
				.select('id')
				.where('code_hash', '=', hash)
				.executeTakeFirst();
			throw refuse(known ? 'already_rated' : 'unknown_code', 'code');
		}
		await trx
			.insertInto('dossier_rating')
			.values({
				agency_id: dossier.agency_id,
				field: dossier.field,
				channel: dossier.channel,
				month: ratingMonth(now),
				overall: input.overall,
				attitude: input.attitude,
				harassed: input.harassed === 'yes',
				timeliness: input.timeliness,
				visits: input.visits,
				waiting_minutes: input.waiting,
				transparency: input.transparency
			})
			.execute();
	});
}
