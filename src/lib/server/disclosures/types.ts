import { audit } from '../audit';
import { announce } from '../cache/invalidation';
import { inTransaction, type Db } from '../db';
import type { DisclosureFrequency } from '../db/schema';

export type NewDisclosureType = {
	code: string;
	nameVi: string;
	nameEn: string;
	basisVi: string;
	basisEn: string;
	unitLevel: 'province' | 'commune' | 'any';
	frequency: DisclosureFrequency;
	dueFrom: 'start' | 'end' | null;
	dueDays: number | null;
	displayDays: number | null;
	personalData: boolean;
};

/** An admin adds a kind of information that must be disclosed; false when the code is taken. */
export async function addDisclosureType(
	db: Db,
	t: NewDisclosureType,
	actorId: string
): Promise<boolean> {
	return inTransaction(db, async (trx) => {
		const { n } = await trx
			.selectFrom('disclosure_type')
			.select((eb) => eb.fn.coalesce(eb.fn.max('position'), eb.lit(0)).as('n'))
			.executeTakeFirstOrThrow();
		const row = await trx
			.insertInto('disclosure_type')
			.values({
				code: t.code,
				name_vi: t.nameVi,
				name_en: t.nameEn,
				basis_vi: t.basisVi,
				basis_en: t.basisEn,
				unit_level: t.unitLevel,
				frequency: t.frequency,
				due_from: t.dueFrom,
				due_days: t.dueDays,
				display_days: t.displayDays,
				personal_data: t.personalData,
				position: Number(n) + 1
			})
			.onConflict((oc) => oc.column('code').doNothing())
			.returning('code')
			.executeTakeFirst();
		if (!row) return false;
		// the public list offers it as a filter
		await announce(trx, { topic: 'disclosures' });
		await audit(trx, {
			actorId,
			action: 'disclosure_type.add',
			entityType: 'disclosure_type',
			entityId: t.code
		});
		return true;
	});
}
