import { z } from 'zod';
import { foldVietnamese } from '$lib/questions/search';
import { m } from '$lib/paraglide/messages';
import { audit } from '../audit';
import { inTransaction, type Db } from '../db';
import { MAX_ID } from '../http/params';
import { refuse } from './refusals';

const MAX_TERMS = 12;
const MAX_TERM_LENGTH = 100;

/**
 * The form of a group of equivalent terms: one term a line, two to twelve of them, none the same
 * as another once accents are dropped (the search would not tell them apart). An id edits that
 * group; without one a group is added.
 */
export const synonymSchema = z.object({
	id: z
		.string()
		.trim()
		.optional()
		.transform((v) => (v ? Number(v) : null))
		.refine((v) => v === null || (Number.isInteger(v) && v > 0 && v <= MAX_ID), {
			error: () => m.error_invalid_request()
		}),
	terms: z
		.string({ error: () => m.error_required() })
		.max(MAX_TERMS * (MAX_TERM_LENGTH + 2), {
			error: () => m.common_error_too_long({ max: MAX_TERMS * MAX_TERM_LENGTH })
		})
		.transform((text) =>
			text
				.split(/\r?\n/)
				.map((t) => t.trim().replace(/\s+/g, ' '))
				.filter((t) => t !== '')
		)
		.superRefine((terms, ctx) => {
			const say = (message: string) => ctx.addIssue({ code: 'custom', message });
			if (terms.length < 2) return say(m.syn_error_count({ max: MAX_TERMS }));
			if (terms.length > MAX_TERMS) return say(m.syn_error_count({ max: MAX_TERMS }));
			if (terms.some((t) => t.length > MAX_TERM_LENGTH))
				return say(m.common_error_too_long({ max: MAX_TERM_LENGTH }));
			const folded = terms.map(foldVietnamese);
			if (folded.some((t) => t === '')) return say(m.syn_error_no_letters());
			if (new Set(folded).size < folded.length) say(m.syn_error_same());
		})
});

export const synonymRef = z.object({
	id: z.coerce
		.number({ error: () => m.error_invalid_request() })
		.int()
		.positive()
		.max(MAX_ID)
});

/** The synonym list, in the order it was made. */
export async function synonymGroups(db: Db) {
	return db
		.selectFrom('search_synonym')
		.select(['id', 'terms', 'updated_at as updatedAt'])
		.orderBy('id')
		.execute();
}

/**
 * Adds a group (id null) or replaces one group's terms, audited. A term that another group holds
 * already is refused: that group is the one to edit, so the list says each thing once.
 */
export async function saveSynonyms(
	db: Db,
	group: { id: number | null; terms: string[] },
	actorId: string
): Promise<number> {
	return inTransaction(db, async (trx) => {
		const others = await trx
			.selectFrom('search_synonym')
			.select(['id', 'terms'])
			.$if(group.id !== null, (qb) => qb.where('id', '!=', group.id!))
			.forUpdate()
			.execute();
		const taken = new Set(others.flatMap((o) => o.terms.map(foldVietnamese)));
		if (group.terms.some((t) => taken.has(foldVietnamese(t))))
			throw refuse('synonym_term_taken', 'terms');
		const terms = JSON.stringify(group.terms);
		if (group.id === null) {
			const { id } = await trx
				.insertInto('search_synonym')
				.values({ terms })
				.returning('id')
				.executeTakeFirstOrThrow();
			await audit(trx, {
				actorId,
				action: 'search_synonym.add',
				entityType: 'search_synonym',
				entityId: id,
				details: { terms: group.terms }
			});
			return id;
		}
		const before = await trx
			.selectFrom('search_synonym')
			.select('terms')
			.where('id', '=', group.id)
			.forUpdate()
			.executeTakeFirst();
		if (!before) throw refuse('synonym_missing');
		await trx
			.updateTable('search_synonym')
			.set({ terms, updated_at: new Date() })
			.where('id', '=', group.id)
			.execute();
		await audit(trx, {
			actorId,
			action: 'search_synonym.edit',
			entityType: 'search_synonym',
			entityId: group.id,
			details: { before: before.terms, terms: group.terms }
		});
		return group.id;
	});
}

/** Removes a group from the list, audited with the terms it held. */
export async function deleteSynonyms(db: Db, id: number, actorId: string): Promise<string[]> {
	return inTransaction(db, async (trx) => {
		const gone = await trx
			.deleteFrom('search_synonym')
			.where('id', '=', id)
			.returning('terms')
			.executeTakeFirst();
		if (!gone) throw refuse('synonym_missing');
		await audit(trx, {
			actorId,
			action: 'search_synonym.delete',
			entityType: 'search_synonym',
			entityId: id,
			details: { terms: gone.terms }
		});
		return gone.terms;
	});
}
