import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { clearPageCache } from '$lib/server/http/page-cache';
import { formatWeights, parseWeights } from '$lib/analytics/weights';
import { readForm } from '$lib/server/forms/parse';
import { managedWave } from '$lib/server/surveys/fieldwork';
import { replaceWeights, waveWeights } from '$lib/server/surveys/weights';
import { setWaveStatus, WaveStateError } from '$lib/server/surveys/waves';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'fieldwork');
	const wave = await managedWave(user, event.params.id);
	return {
		wave,
		weights: formatWeights(await waveWeights(await getDb(), wave.id)),
		origin: event.url.origin
	};
};

async function move(event: Parameters<Actions[string]>[0], status: 'open' | 'closed') {
	const user = requireArea(event, 'fieldwork');
	const wave = await managedWave(user, event.params.id!);
	try {
		await setWaveStatus(await getDb(), wave.id, status, user.id);
		clearPageCache();
	} catch (e) {
		if (e instanceof WaveStateError)
			return fail(409, { message: m.fw_state_error({ reason: e.message }) });
		throw e;
	}
	return { done: m.fw_saved() };
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
		const { unknown } = await replaceWeights(await getDb(), wave.id, weights, user.id);
		if (unknown.length)
			return fail(400, {
				weights: text,
				weightProblems: [m.fw_weights_unknown({ codes: unknown.join(', ') })]
			});
		return { done: m.fw_weights_saved({ count: weights.length }) };
	}
};
