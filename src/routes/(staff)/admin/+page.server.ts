import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { recentAudit } from '$lib/server/audit';
import { requireArea } from '$lib/server/auth/guards';
import {
	createUser,
	DuplicateEmailError,
	grantRole,
	grantSchema,
	listUsers,
	newUserSchema,
	revokeRole,
	setUserDisabled
} from '$lib/server/auth/users';
import { getDb } from '$lib/server/db';
import { echoValues, parseForm, readForm } from '$lib/server/forms/parse';
import { findUnit } from '$lib/server/units/succession';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	requireArea(event, 'admin');
	const db = await getDb();
	const [users, agencies, audit] = await Promise.all([
		listUsers(db),
		db.selectFrom('agency').select(['id', 'name_vi', 'name_en']).orderBy('id').execute(),
		recentAudit(db, 30)
	]);
	return {
		users,
		agencies,
		audit: audit.map((a) => ({ ...a, at: a.at.toISOString() }))
	};
};

const userRef = z.object({ userId: z.uuid() });
const grantRef = userRef.extend({ grantId: z.coerce.number().int().positive() });
const invalid = () => fail(400, { values: {}, errors: {}, message: m.error_invalid_request() });

async function setDisabled(event: RequestEvent, disabled: boolean) {
	const actor = requireArea(event, 'admin');
	const form = await readForm(event.request);
	if (!(form instanceof FormData)) return form;
	const ref = userRef.safeParse(Object.fromEntries(form));
	if (!ref.success) return invalid();
	if (disabled && ref.data.userId === actor.id) {
		return fail(400, { values: {}, errors: {}, message: m.admin_cannot_disable_self() });
	}
	await setUserDisabled(await getDb(), ref.data.userId, disabled, actor.id);
	return { done: m.admin_saved() };
}

export const actions: Actions = {
	create: async (event) => {
		const actor = requireArea(event, 'admin');
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const parsed = parseForm(newUserSchema, form);
		if ('failure' in parsed) return parsed.failure;
		try {
			await createUser(await getDb(), parsed.data, actor.id);
		} catch (e) {
			if (e instanceof DuplicateEmailError) {
				return fail(400, { values: echoValues(form), errors: { email: m.admin_email_taken() } });
			}
			throw e;
		}
		return { done: m.admin_user_created({ email: parsed.data.email }) };
	},

	grant: async (event) => {
		const actor = requireArea(event, 'admin');
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const ref = userRef.safeParse({ userId: form.get('userId') });
		if (!ref.success) return invalid();
		const db = await getDb();
		// Analysts are scoped by the official code of a unit in force today.
		const unitCode = String(form.get('unitCode') ?? '').trim();
		let unitId: number | undefined;
		if (unitCode) {
			const unit = await findUnit(db, unitCode, new Date().toISOString().slice(0, 10));
			if (!unit) {
				return fail(400, {
					values: echoValues(form),
					errors: { unitCode: m.error_unit_unknown() },
					userId: ref.data.userId
				});
			}
			unitId = unit.id;
		}
		const parsed = grantSchema.safeParse({
			role: form.get('role'),
			agencyId: form.get('agencyId') || undefined,
			unitId
		});
		if (!parsed.success) {
			const errors: Record<string, string> = {};
			for (const issue of parsed.error.issues) {
				const field = issue.path[0] === 'unitId' ? 'unitCode' : String(issue.path[0]);
				errors[field] ??= issue.message;
			}
			return fail(400, { values: echoValues(form), errors, userId: ref.data.userId });
		}
		await grantRole(db, ref.data.userId, parsed.data, actor.id);
		return { done: m.admin_saved() };
	},

	revoke: async (event) => {
		const actor = requireArea(event, 'admin');
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const ref = grantRef.safeParse(Object.fromEntries(form));
		if (!ref.success) return invalid();
		await revokeRole(await getDb(), ref.data.userId, ref.data.grantId, actor.id);
		return { done: m.admin_saved() };
	},

	disable: (event) => setDisabled(event, true),
	enable: (event) => setDisabled(event, false)
};
