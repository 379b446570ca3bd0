import { m } from '$lib/paraglide/messages';

/** An item's state as staff read it: the item's status and what its newest version is doing. */
export function statusName(status: string, versionStatus: string, number: number): string {
	if (status === 'withdrawn') return m.dc_withdrawn();
	if (versionStatus === 'submitted') return m.dc_v_submitted({ n: number });
	if (versionStatus === 'draft') return m.dc_v_draft({ n: number });
	if (versionStatus === 'superseded') return m.dc_v_superseded({ n: number });
	return m.dc_v_published({ n: number });
}

const STATES: Record<string, () => string> = {
	published: m.dc_state_published,
	overdue: m.dc_state_overdue,
	due_soon: m.dc_state_due_soon,
	upcoming: m.dc_state_upcoming,
	missing: m.dc_state_missing
};

export const stateName = (state: string): string => STATES[state]?.() ?? state;

/** The labels of a version's fields, so that an error summary says which field each error is on. */
export const versionLabels = (): Record<string, string> => ({
	title: m.dc_item_title(),
	summary: m.dc_summary(),
	body: m.dc_body(),
	effectiveOn: m.dc_effective(),
	changeNote: m.dc_change_note(),
	files: m.dc_add_files()
});
