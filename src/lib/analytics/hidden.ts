import { m } from '$lib/paraglide/messages';
import type { HiddenReason } from './cells';

/** Why a number is hidden, as people read it (`k`: the smallest group shown). */
export function hiddenNote(reason: HiddenReason | null, k: number): string {
	if (reason === 'incomplete') return m.analytics_incomplete();
	if (reason === 'part-small') return m.analytics_part_hidden({ k });
	if (reason === 'step') return m.analytics_step({ k });
	return m.analytics_suppressed({ k });
}

/** The same, shorter, for the plan's dashboard. */
export function hiddenNoteShort(reason: HiddenReason | null): string {
	if (reason === 'incomplete') return m.pl_incomplete();
	if (reason === 'part-small') return m.pl_part_hidden();
	if (reason === 'step') return m.pl_step();
	return m.pl_suppressed();
}
