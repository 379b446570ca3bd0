import { z } from 'zod';
import { ROLES } from '$lib/auth/access';
import { roleName } from '$lib/auth/role-names';
import { oneOf, pageCount, parseList, searchParam } from '$lib/lists';
import { m } from '$lib/paraglide/messages';
import {
	adminOverview,
	createAccount,
	grantAsked,
	revokeGrant,
	setAccountDisabled
} from '$lib/server/admin/accounts';
import { requireArea } from '$lib/server/auth/guards';
import { grantSchema, newUserSchema } from '$lib/server/auth/users';
import { getDb } from '$lib/server/db';
import { formStep, loaded } from '$lib/server/forms/step';
import { unitCodeChoices } from '$lib/server/reference';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	requireArea(event, 'admin');
	const p = parseList({ q: searchParam, role: oneOf(ROLES) }, event.url.searchParams);
	const filter = { q: p.q, role: p.role ?? null, page: p.page };
	const db = await getDb();
	const [overview, units] = await Promise.all([
		loaded(adminOverview(db, filter)),
		unitCodeChoices(db)
	]);
	return { ...overview, units, filter, pages: pageCount(overview.total) };
};

const invalidRequest = () => m.error_invalid_request();
const userRef = z.object({ userId: z.uuid({ error: invalidRequest }) });
const grantRef = userRef.extend({
	grantId: z.coerce.number({ error: invalidRequest }).int().positive()
});

function setDisabled(event: RequestEvent, disabled: boolean) {
	const actor = requireArea(event, 'admin');
	return formStep(event.request, userRef, async ({ userId }) => {
		const { email } = await setAccountDisabled(await getDb(), userId, disabled, actor.id);
		return { done: disabled ? m.admin_disabled_done({ email }) : m.admin_enabled_done({ email }) };
	});
}

export const actions: Actions = {
	create: async (event) => {
		const actor = requireArea(event, 'admin');
		return formStep(event.request, newUserSchema, async (input) => {
			const { email } = await createAccount(await getDb(), input, actor.id);
			return { done: m.admin_user_created({ email }) };
		});
	},

	grant: async (event) => {
		const actor = requireArea(event, 'admin');
		return formStep(event.request, grantSchema, async (asked) => {
			const { email, role } = await grantAsked(await getDb(), asked, actor.id);
			return { done: m.admin_granted({ role: roleName(role), email }) };
		});
	},

	revoke: async (event) => {
		const actor = requireArea(event, 'admin');
		return formStep(event.request, grantRef, async ({ userId, grantId }) => {
			const { email, role } = await revokeGrant(await getDb(), userId, grantId, actor.id);
			return { done: m.admin_revoked({ role: roleName(role), email }) };
		});
	},

	disable: (event) => setDisabled(event, true),
	enable: (event) => setDisabled(event, false)
};
