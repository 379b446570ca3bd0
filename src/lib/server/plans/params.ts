import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getDb } from '../db';
import type { Staff } from '$lib/auth/access';
import { getPlan, mayRead, PlanError } from './plans';

/** An id from the address: anything but a positive whole number is 404. */
export function idParam(param: string): number {
	const id = Number(param);
	if (!Number.isSafeInteger(id) || id <= 0) error(404, { message: m.error_not_found() });
	return id;
}

/** The plan named in the address, or 404. */
export async function planFromParam(param: string) {
	try {
		return await getPlan(await getDb(), idParam(param));
	} catch (e) {
		if (e instanceof PlanError) error(404, { message: m.error_not_found() });
		throw e;
	}
}

/** The plan named in the address for a staff member: 404 if there is none, 403 if a draft of others. */
export async function staffPlanFromParam(param: string, staff: Staff) {
	const plan = await planFromParam(param);
	if (!(await mayRead(await getDb(), staff, plan))) error(403, { message: m.error_forbidden() });
	return plan;
}
