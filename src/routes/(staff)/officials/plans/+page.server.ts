import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { formStep } from '$lib/server/forms/step';
import { createPlan, listPlans, planInstruments } from '$lib/server/plans/plans';
import { planningAgencies } from '$lib/server/plans/permissions';
import { agencies, unitsServed } from '$lib/server/reference';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	const db = await getDb();
	const mine = new Set(planningAgencies(user).map(String));
	const [plans, units, agencyList, instruments] = await Promise.all([
		listPlans(db, user),
		unitsServed(db),
		agencies(db),
		planInstruments(db)
	]);
	return {
		plans,
		units,
		agencies: agencyList.filter((a) => mine.has(a.value)),
		instruments
	};
};

const year = z.coerce
	.number({ error: () => m.error_required() })
	.int({ error: () => m.pl_error_year() })
	.min(2000, { error: () => m.pl_error_year() })
	.max(2100, { error: () => m.pl_error_year() });

const choice = z.coerce
	.number({ error: () => m.error_required() })
	.int({ error: () => m.error_required() })
	.positive({ error: () => m.error_required() })
	.max(2_147_483_647, { error: () => m.common_error_invalid() });

const planSchema = z
	.object({
		title: z
			.string({ error: () => m.error_required() })
			.trim()
			.min(5, { error: () => m.common_error_too_short({ min: 5 }) })
			.max(300, { error: () => m.common_error_too_long({ max: 300 }) }),
		unit: choice,
		agency: choice,
		instrument: choice,
		yearFrom: year,
		yearTo: year,
		legalRef: z
			.string()
			.trim()
			.max(300, { error: () => m.common_error_too_long({ max: 300 }) })
			.default(''),
		frequency: z.enum(['quarterly', 'half_yearly', 'yearly'], { error: () => m.error_required() }),
		weakBelow: z.coerce
			.number({ error: () => m.pl_error_weak() })
			.int({ error: () => m.pl_error_weak() })
			.min(1, { error: () => m.pl_error_weak() })
			.max(99, { error: () => m.pl_error_weak() })
	})
	.refine((p) => p.yearTo >= p.yearFrom && p.yearTo <= p.yearFrom + 10, {
		path: ['yearTo'],
		error: () => m.pl_error_year()
	});

export const actions: Actions = {
	default: async (event) => {
		const user = requireArea(event, 'officials');
		const id = await formStep(event.request, planSchema, async (p) =>
			createPlan(await getDb(), user, {
				title: p.title,
				unit_id: p.unit,
				agency_id: p.agency,
				instrument_id: p.instrument,
				year_from: p.yearFrom,
				year_to: p.yearTo,
				legal_ref: p.legalRef,
				report_frequency: p.frequency,
				weak_below: p.weakBelow / 100
			})
		);
		if (typeof id !== 'number') return id;
		redirect(303, `/officials/plans/${id}?done=created`);
	}
};
