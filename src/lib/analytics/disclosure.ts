// INTERIM (replaced by the disclosure branch): today's rules behind the snapshot's interface.
import { RESPONDENTS, type HiddenReason } from './cells';
import { hiddenGroups } from './filters';
import type { Measure } from './scoring';

export type CellKey = string;
const SEP = '\u001f';

export type DisclosureInput = {
	k: number;
	counts: ReadonlyMap<CellKey, number>;
	measures: readonly Measure[];
	lastShown: ReadonlyMap<CellKey, number>;
};
export type Decision = { hidden: Map<CellKey, HiddenReason>; lastShown: Map<CellKey, number> };

export function decideDisclosure(input: DisclosureInput): Decision {
	const { k, counts } = input;
	const split = (key: string) => key.split(SEP) as [string, string, string];
	const groups = [...counts]
		.filter(([key]) => split(key)[2] === RESPONDENTS)
		.map(([key, n]) => ({ grouping: split(key)[0], cell: split(key)[1], n }));
	const groupHidden = hiddenGroups(groups, k);
	const byKey = (g: string, c: string, m: string) => counts.get(`${g}${SEP}${c}${SEP}${m}`) ?? 0;
	const composites = new Map(input.measures.map((m) => [m.code, m]));
	const hidden = new Map<CellKey, HiddenReason>();
	const lastShown = new Map<CellKey, number>();
	for (const [key, n] of counts) {
		const [grouping, cell, code] = split(key);
		let reason: HiddenReason | null = null;
		if (groupHidden({ grouping, cell })) reason = 'small';
		else if (n > 0 && n < k) reason = 'small';
		else {
			const m = composites.get(code);
			if (m && m.level !== 'indicator' && n > 0) {
				const parts = m.terms.map((t) => byKey(grouping, cell, t.item));
				if (parts.some((p) => p === 0)) reason = 'incomplete';
				else if (parts.some((p) => p < k)) reason = 'part-small';
			}
		}
		if (reason) hidden.set(key, reason);
		else lastShown.set(key, n);
	}
	return { hidden, lastShown };
}
