import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { formStep } from '$lib/server/forms/step';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { formatMargins, type MarginProblem } from '$lib/analytics/margins';
import type { RakingReport } from '$lib/analytics/raking';
import { formatWeights, parseWeights } from '$lib/analytics/weights';
import { parseFields, readForm, type FieldErrors } from '$lib/server/forms/parse';
import { managedWave } from '$lib/server/surveys/fieldwork';
import {
	rakeWave,
	removeRaking,
	waveMarginVariables,
	waveRaking,
	type RakeOutcome
} from '$lib/server/surveys/raking';
import { replaceWeights, waveWeights } from '$lib/server/surveys/weights';
import { setWaveStatus } from '$lib/server/surveys/waves';
import { tr } from '$lib/surveys/localize';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'fieldwork');
	const wave = await managedWave(user, event.params.id);
	const db = await getDb();
	const [weights, raking, variables] = await Promise.all([
		waveWeights(db, wave.id),
		waveRaking(db, wave.id),
		waveMarginVariables(db, wave.id)
	]);
	return {
		wave,
		weights: formatWeights(weights),
		raking: raking && {
			margins: formatMargins(raking.margins),
			source: raking.source,
			illustrative: raking.illustrative,
			raked: raking.raked && { ...raking.raked, at: raking.raked.at.toISOString() }
		},
		variables,
		origin: event.url.origin
	};
};

const rakingForm = z.object({
	margins: z.string().max(200_000, { error: () => m.error_too_large() }),
	source: z
		.string({ error: () => m.error_required() })
		.trim()
		.min(1, { error: () => m.error_required() })
		.max(500, { error: () => m.fw_raking_source_long({ max: 500 }) }),
	illustrative: z.string().optional()
});

const marginReasons: Record<MarginProblem['reason'], () => string> = {
	format: m.fw_margins_format,
	number: m.fw_margins_number,
	repeat: m.fw_margins_repeat,
	overlap: m.fw_margins_overlap,
	variable: m.fw_margins_variable,
	category: m.fw_margins_category,
	empty: m.fw_margins_empty,
	none: m.fw_margins_none
};

type Typed = { margins: string; source: string; illustrative: boolean };

/** A refused raking: what was typed, to show again, and why. */
const rakingFailure = (
	status: number,
	raking: Typed,
	why: { errors?: FieldErrors; problems?: string[]; attempt?: RakingReport | null }
) =>
	fail(status, {
		raking,
		rakingErrors: why.errors ?? {},
		marginProblems: why.problems ?? [],
		attempt: why.attempt ?? null
	});

/** Why a raking was refused, line by line where the margins' text is at fault. */
function rakingProblems(outcome: Exclude<RakeOutcome, { ok: true }>): string[] {
	const line = (n: number, reason: string) => `${m.fw_weights_line({ line: n })}: ${reason}`;
	switch (outcome.reason) {
		case 'margins':
			return outcome.problems.map((p) =>
				p.reason === 'none' ? m.fw_margins_none() : line(p.line, marginReasons[p.reason]())
			);
		case 'categories':
			return outcome.refusals.map((r) => {
				const what = { variable: r.variable, category: r.category };
				if (r.reason === 'no-sample') return line(r.line, m.fw_raking_no_sample(what));
				if (r.reason === 'no-population') return line(r.line, m.fw_raking_no_population(what));
				return line(r.line, m.fw_margins_empty());
			});
		case 'no-respondents':
			return [m.fw_raking_no_respondents()];
		case 'not-converged':
			return [m.fw_raking_not_converged({ iterations: outcome.report.iterations })];
		case 'forbidden':
			return [m.error_forbidden()];
	}
}

async function move(event: Parameters<Actions[string]>[0], status: 'open' | 'closed') {
	const user = requireArea(event, 'fieldwork');
	const wave = await managedWave(user, event.params.id!);
	return formStep(event.request, z.object({}), async () => {
		await setWaveStatus(await getDb(), wave.id, status, user.id);
		const title = tr(wave.title);
		return { done: status === 'open' ? m.fw_wave_opened({ title }) : m.fw_wave_closed({ title }) };
	});
}

export const actions: Actions = {
	open: (event) => move(event, 'open'),
	close: (event) => move(event, 'closed'),

	weights: async (event) => {
		const user = requireArea(event, 'fieldwork');
		const wave = await managedWave(user, event.params.id!);
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const text = String(form.get('weights') ?? '').slice(0, 200_000);
		const { weights, problems } = parseWeights(text);
		const reasons = {
			format: m.fw_weights_format,
			range: m.fw_weights_range,
			repeat: m.fw_weights_repeat
		};
		if (problems.length)
			return fail(400, {
				weights: text,
				weightProblems: problems.map(
					(p) => `${m.fw_weights_line({ line: p.line })}: ${reasons[p.reason]()}`
				)
			});
		const { unknown, unraked } = await replaceWeights(await getDb(), wave.id, weights, user.id);
		if (unknown.length)
			return fail(400, {
				weights: text,
				weightProblems: [m.fw_weights_unknown({ codes: unknown.join(', ') })]
			});
		const count = weights.length;
		return {
			done: unraked ? m.fw_weights_saved_unraked({ count }) : m.fw_weights_saved({ count })
		};
	},

	rake: async (event) => {
		const user = requireArea(event, 'fieldwork');
		const wave = await managedWave(user, event.params.id!);
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const typed: Typed = {
			margins: String(form.get('margins') ?? '').slice(0, 200_000),
			source: String(form.get('source') ?? '').slice(0, 1000),
			illustrative: form.get('illustrative') === 'on'
		};
		const parsed = parseFields(rakingForm, form);
		if ('errors' in parsed) return rakingFailure(400, typed, { errors: parsed.errors });
		const { margins, source, illustrative } = parsed.data;
		const outcome = await rakeWave(await getDb(), user, wave.id, {
			text: margins,
			source,
			illustrative: illustrative === 'on'
		});
		if (outcome.ok) return { done: m.fw_raking_done({ count: outcome.report.respondents }) };
		return rakingFailure(outcome.reason === 'forbidden' ? 403 : 400, typed, {
			problems: rakingProblems(outcome),
			attempt: outcome.reason === 'not-converged' ? outcome.report : null
		});
	},

	unrake: async (event) => {
		const user = requireArea(event, 'fieldwork');
		const wave = await managedWave(user, event.params.id!);
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		if (form.get('confirm') !== 'yes') return fail(400, { message: m.error_invalid_request() });
		const { ok } = await removeRaking(await getDb(), user, wave.id);
		if (!ok) return fail(403, { message: m.error_forbidden() });
		return { done: m.fw_raking_removed() };
	}
};
