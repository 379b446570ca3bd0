import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { formStep, loaded } from '$lib/server/forms/step';
import { invalidInput } from '$lib/server/forms/refusal';
import { refuseSurvey } from '$lib/server/surveys/refusals';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { formatMargins, type MarginProblem } from '$lib/analytics/margins';
import { weightsFromFields } from '$lib/analytics/weights';
import { echoValues } from '$lib/server/forms/parse';
import { managedWave } from '$lib/server/surveys/fieldwork';
import {
	rakeWave,
	removeRaking,
	waveMarginVariables,
	waveRaking,
	type RakeOutcome
} from '$lib/server/surveys/raking';
import { replaceWeights, waveWeights } from '$lib/server/surveys/weights';
import { communesInScope, setWaveStatus } from '$lib/server/surveys/waves';
import { tr } from '$lib/surveys/localize';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'fieldwork');
	const wave = await loaded(managedWave(user, event.params.id));
	const db = await getDb();
	const [weights, communes, raking, variables] = await Promise.all([
		waveWeights(db, wave.id),
		communesInScope(db, wave.id),
		waveRaking(db, wave.id),
		waveMarginVariables(db, wave.id)
	]);
	return {
		wave,
		// one row a commune of the wave, with its saved weight and stratum
		weights: communes.map((c) => {
			const saved = weights.find((w) => w.code === c.code);
			return {
				code: c.code,
				name: c.name,
				weight: saved ? String(saved.weight) : '',
				stratum: saved?.stratum ?? ''
			};
		}),
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

/** Why the margins' text was refused, line by line. */
function marginLines(outcome: Extract<RakeOutcome, { reason: 'margins' | 'categories' }>): string {
	const line = (n: number, reason: string) => `${m.fw_weights_line({ line: n })}: ${reason}`;
	const lines =
		outcome.reason === 'margins'
			? outcome.problems.map((p) =>
					p.reason === 'none' ? m.fw_margins_none() : line(p.line, marginReasons[p.reason]())
				)
			: outcome.refusals.map((r) => {
					const what = { variable: r.variable, category: r.category };
					if (r.reason === 'no-sample') return line(r.line, m.fw_raking_no_sample(what));
					if (r.reason === 'no-population') return line(r.line, m.fw_raking_no_population(what));
					return line(r.line, m.fw_margins_empty());
				});
	return lines.join('; ');
}

// a weight and a stratum a commune: `weight_00913`, `stratum_00913`; read by weightsFromFields
const weightsForm = () =>
	z.record(
		z.string().regex(/^(weight|stratum)_\d{5}$/, { error: () => m.error_invalid_request() }),
		z.string().max(100, { error: () => m.error_too_large() })
	);

const unrakeForm = z.object({ confirm: z.string().optional() });

async function move(event: Parameters<Actions[string]>[0], status: 'open' | 'closed') {
	const user = requireArea(event, 'fieldwork');
	return formStep(event.request, z.object({}), async () => {
		const wave = await managedWave(user, event.params.id!);
		await setWaveStatus(await getDb(), wave.id, status, user.id);
		const title = tr(wave.title);
		return { done: status === 'open' ? m.fw_wave_opened({ title }) : m.fw_wave_closed({ title }) };
	});
}

export const actions: Actions = {
	open: (event) => move(event, 'open'),
	close: (event) => move(event, 'closed'),

	weights: (event) => {
		const user = requireArea(event, 'fieldwork');
		return formStep(event.request, weightsForm(), async (fields) => {
			const wave = await managedWave(user, event.params.id!);
			const { weights, problems } = weightsFromFields(fields);
			const reasons = {
				format: m.fw_weight_format,
				range: m.fw_weights_range,
				stratum: m.fw_stratum_format
			};
			if (problems.length)
				throw invalidInput(
					Object.fromEntries(problems.map((p) => [p.field, reasons[p.reason]()])),
					m.error_invalid_request
				);
			const { unknown, unraked } = await replaceWeights(await getDb(), wave.id, weights, user.id);
			if (unknown.length)
				throw invalidInput(
					{ weights: m.fw_weights_unknown({ codes: unknown.join(', ') }) },
					m.error_invalid_request
				);
			const count = weights.length;
			return {
				done: unraked ? m.fw_weights_saved_unraked({ count }) : m.fw_weights_saved({ count })
			};
		});
	},

	rake: (event) => {
		const user = requireArea(event, 'fieldwork');
		return formStep(event.request, rakingForm, async ({ margins, source, illustrative }, form) => {
			const wave = await managedWave(user, event.params.id!);
			const outcome = await rakeWave(await getDb(), user, wave.id, {
				text: margins,
				source,
				illustrative: illustrative === 'on'
			});
			if (outcome.ok) return { done: m.fw_raking_done({ count: outcome.report.respondents }) };
			switch (outcome.reason) {
				case 'forbidden':
					throw refuseSurvey('forbidden');
				case 'no-respondents':
					throw refuseSurvey('no_respondents');
				case 'margins':
				case 'categories':
					throw invalidInput({ margins: marginLines(outcome) }, m.error_invalid_request);
				case 'not-converged':
					// refused, but the attempt is shown beside the form so the groups can be merged
					return fail(400, {
						values: echoValues(form),
						errors: {},
						message: m.fw_raking_not_converged({ iterations: outcome.report.iterations }),
						attempt: outcome.report
					});
			}
		});
	},

	unrake: (event) => {
		const user = requireArea(event, 'fieldwork');
		return formStep(event.request, unrakeForm, async ({ confirm }) => {
			const wave = await managedWave(user, event.params.id!);
			if (confirm !== 'yes') throw refuseSurvey('unconfirmed');
			const { ok } = await removeRaking(await getDb(), user, wave.id);
			if (!ok) throw refuseSurvey('forbidden');
			return { done: m.fw_raking_removed() };
		});
	}
};
