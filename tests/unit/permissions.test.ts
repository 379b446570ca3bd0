import { describe, expect, it } from 'vitest';
import type { Grant, Role, Staff } from '$lib/auth/access';
import {
	mayEditReference,
	mayExportMicrodata,
	mayReadWave,
	microdataScope
} from '$lib/server/analytics/permissions';
import {
	disclosureAgencies,
	disclosureRights,
	draftingAgencies,
	maySeeDisclosure
} from '$lib/server/disclosures/permissions';
import {
	mayManagePlan,
	mayReadPlan,
	mayReportOnTask,
	planListScope,
	planningAgencies
} from '$lib/server/plans/permissions';
import {
	caseAgencies,
	caseRights,
	mayModerate,
	mayRate,
	mayReopen
} from '$lib/server/questions/permissions';
import {
	fieldworkScope,
	isInterviewer,
	mayChangeInstrument,
	mayInterview,
	mayRunWave,
	unitsOutside,
	type Units
} from '$lib/server/surveys/permissions';

/**
 * The policy itself, with explicit expectations: the authorization matrix (e2e/authz) checks the
 * routes against these functions, so this file is what says the functions are right.
 */

const A = 4; // an agency (Sở Nội vụ)
const B = 9; // another agency (a commune's people's committee)

const grant = (
	role: Role,
	agencyId: number | null = null,
	unitId: number | null = null
): Grant => ({
	role,
	agencyId,
	unitId
});
const staff = (...grants: Grant[]): Staff => ({ id: 'x', grants });

const officialA = staff(grant('official', A));
const officialB = staff(grant('official', B));
const approverA = staff(grant('approver', A));
const moderator = staff(grant('moderator'));
const admin = staff(grant('admin'));
const nobody = staff();

// the map: province P (1) with communes C1 (11) and C2 (12); another province Q (2)
const P = 1;
const C1 = 11;
const C2 = 12;
const Q = 2;
const PARENT: Record<number, number | null> = { [P]: null, [C1]: P, [C2]: P, [Q]: null };
function units(...ids: number[]): Units {
	const above = new Map<number, number[]>();
	for (const id of Object.keys(PARENT).map(Number)) {
		const chain: number[] = [];
		for (let u: number | null = id; u !== null; u = PARENT[u] ?? null) chain.push(u);
		above.set(id, chain);
	}
	return { ids, above };
}
const analystP = [grant('analyst', null, P)];
const analystQ = [grant('analyst', null, Q)];
const analystC1 = [grant('analyst', null, C1)];
const analystAll = [grant('analyst')];

describe('questions', () => {
	it('lets the handling agency draft (officials) and approve (approvers); moderators moderate any case', () => {
		expect(caseRights(officialA, A)).toEqual({
			moderate: false,
			draft: true,
			approve: false,
			see: true
		});
		expect(caseRights(approverA, A)).toEqual({
			moderate: false,
			draft: false,
			approve: true,
			see: true
		});
		expect(caseRights(moderator, A)).toEqual({
			moderate: true,
			draft: false,
			approve: false,
			see: true
		});
		expect(caseRights(moderator, null).see).toBe(true);
	});

	it('refuses an official of another agency, an approver drafting, an unrouted case and the admin', () => {
		expect(caseRights(officialB, A)).toEqual({
			moderate: false,
			draft: false,
			approve: false,
			see: false
		});
		expect(caseRights(approverA, A).draft).toBe(false);
		expect(caseRights(officialA, A).approve).toBe(false);
		expect(caseRights(officialA, null).see).toBe(false);
		expect(caseRights(admin, A).see).toBe(false);
		expect(mayModerate(officialA)).toBe(false);
		expect(mayModerate(moderator)).toBe(true);
	});

	it('queues the cases of the agencies one works for, as official or approver', () => {
		expect(caseAgencies(staff(grant('official', A), grant('approver', B)))).toEqual([A, B]);
		expect(caseAgencies(staff(grant('official', A), grant('approver', A)))).toEqual([A]);
		expect(caseAgencies(moderator)).toEqual([]);
	});

	it('lets the asker rate an answer once per answer', () => {
		const answered = new Date('2026-03-01');
		expect(mayRate({ status: 'answered', rated_at: null, answered_at: answered })).toBe(true);
		expect(
			mayRate({ status: 'answered', rated_at: new Date('2026-03-02'), answered_at: answered })
		).toBe(false);
		expect(
			mayRate({ status: 'answered', rated_at: new Date('2026-02-01'), answered_at: answered })
		).toBe(true);
		expect(mayRate({ status: 'assigned', rated_at: null, answered_at: null })).toBe(false);
	});

	it('lets the asker ask again once, and only about an answer', () => {
		expect(mayReopen({ status: 'answered', reopened_at: null })).toBe(true);
		expect(mayReopen({ status: 'answered', reopened_at: new Date('2026-03-02') })).toBe(false);
		expect(mayReopen({ status: 'assigned', reopened_at: null })).toBe(false);
	});
});

describe('disclosures', () => {
	it("lets the responsible agency's officials draft and its approvers publish", () => {
		expect(disclosureRights(officialA, A)).toEqual({ draft: true, approve: false });
		expect(disclosureRights(approverA, A)).toEqual({ draft: false, approve: true });
		expect(maySeeDisclosure(officialA, A)).toBe(true);
		expect(maySeeDisclosure(approverA, A)).toBe(true);
	});

	it('refuses another agency, a moderator and the admin', () => {
		for (const who of [officialB, moderator, admin, nobody]) {
			expect(disclosureRights(who, A)).toEqual({ draft: false, approve: false });
			expect(maySeeDisclosure(who, A)).toBe(false);
		}
	});

	it('offers a new disclosure only to officials, and lists those of both roles', () => {
		expect(draftingAgencies(officialA)).toEqual([A]);
		expect(draftingAgencies(approverA)).toEqual([]);
		expect(disclosureAgencies(staff(grant('official', A), grant('approver', B)))).toEqual([A, B]);
		expect(disclosureAgencies(moderator)).toEqual([]);
	});
});

describe('plans', () => {
	const draft = { agency_id: A, status: 'draft' };
	const open = { agency_id: A, status: 'active' };

	it("lets the owning agency's staff manage the plan and each task's lead agency report", () => {
		expect(mayManagePlan(officialA, draft)).toBe(true);
		expect(mayManagePlan(approverA, draft)).toBe(true);
		expect(mayManagePlan(officialB, draft)).toBe(false);
		expect(mayManagePlan(moderator, draft)).toBe(false);
		expect(mayManagePlan(admin, draft)).toBe(false);
		expect(mayReportOnTask(officialB, { lead_agency_id: B })).toBe(true);
		expect(mayReportOnTask(officialA, { lead_agency_id: B })).toBe(false);
		expect(planningAgencies(staff(grant('official', A), grant('approver', B)))).toEqual([A, B]);
	});

	it('shows a draft only to the owner, the lead agencies of its tasks and the admin', () => {
		expect(mayReadPlan(officialA, draft, [])).toBe(true);
		expect(mayReadPlan(officialB, draft, [B])).toBe(true);
		expect(mayReadPlan(officialB, draft, [A])).toBe(false);
		expect(mayReadPlan(moderator, draft, [A, B])).toBe(false);
		expect(mayReadPlan(admin, draft, [])).toBe(true);
	});

	it('shows an open or closed plan to all staff', () => {
		for (const who of [officialA, officialB, moderator, admin])
			expect(mayReadPlan(who, open, [])).toBe(true);
		expect(mayReadPlan(officialB, { ...open, status: 'closed' }, [])).toBe(true);
	});

	it('lists everything for the admin, else the drafts of their agencies', () => {
		expect(planListScope(admin)).toEqual({ everything: true, agencies: [] });
		expect(planListScope(officialA)).toEqual({ everything: false, agencies: [A] });
		expect(planListScope(moderator)).toEqual({ everything: false, agencies: [] });
	});
});

describe('fieldwork', () => {
	it('scopes an analyst to their units and everything below; an admin or unscoped analyst to all', () => {
		expect(fieldworkScope(analystP)).toEqual([P]);
		expect(fieldworkScope(analystAll)).toBe('all');
		expect(fieldworkScope([grant('admin')])).toBe('all');
		expect(fieldworkScope([grant('official', A)])).toEqual([]);
		expect(unitsOutside([P], units(C1, C2, Q))).toEqual([Q]);
		expect(unitsOutside([C1], units(P))).toEqual([P]);
		expect(unitsOutside([], units(P))).toEqual([P]);
		expect(unitsOutside('all', units(P, Q))).toEqual([]);
		expect(unitsOutside([P], units(99))).toEqual([99]); // a unit not on the map
	});

	it('lets the analyst whose units cover every unit of a wave run it, and the admin', () => {
		expect(mayRunWave(analystP, units(P))).toBe(true);
		expect(mayRunWave(analystP, units(C1, C2))).toBe(true);
		expect(mayRunWave(analystC1, units(C1))).toBe(true);
		expect(mayRunWave([grant('admin')], units(Q))).toBe(true);
		// outside their units, or a commune's analyst on a province-wide wave
		expect(mayRunWave(analystQ, units(P))).toBe(false);
		expect(mayRunWave(analystC1, units(P))).toBe(false);
		expect(mayRunWave(analystC1, units(C1, C2))).toBe(false);
		expect(mayRunWave([grant('official', A)], units(P))).toBe(false);
	});

	it('lets only an analyst covering every unit whose waves may use an instrument change it', () => {
		expect(mayChangeInstrument(analystP, units(P))).toBe(true);
		expect(mayChangeInstrument(analystAll, null)).toBe(true);
		expect(mayChangeInstrument([...analystC1, grant('admin')], units(P))).toBe(true);
		// a commune analyst, an analyst elsewhere, a wave of another province on the instrument
		expect(mayChangeInstrument(analystC1, units(P))).toBe(false);
		expect(mayChangeInstrument(analystQ, units(P))).toBe(false);
		expect(mayChangeInstrument(analystP, units(P, Q))).toBe(false);
		// no deployment province: only an analyst for all units (or an admin analyst)
		expect(mayChangeInstrument(analystP, null)).toBe(false);
		// an admin without the analyst role reads only
		expect(mayChangeInstrument([grant('admin')], units(P))).toBe(false);
	});

	it('lets an interviewer work on the waves inside their units', () => {
		const interviewerP = [grant('interviewer', null, P)];
		const interviewerC2 = [grant('interviewer', null, C2)];
		expect(isInterviewer(interviewerP)).toBe(true);
		expect(isInterviewer(analystP)).toBe(false);
		expect(mayInterview(interviewerP, units(C1))).toBe(true);
		expect(mayInterview([grant('interviewer')], units(Q))).toBe(true);
		expect(mayInterview(interviewerC2, units(C1))).toBe(false);
		expect(mayInterview(interviewerP, units())).toBe(false);
		expect(mayInterview(analystP, units(C1))).toBe(false);
	});
});

describe('analytics', () => {
	const microP = [...analystP, grant('microdata', null, P)];

	it("reads a wave whose units are all in the analyst's scope", () => {
		expect(mayReadWave(analystP, units(P))).toBe(true);
		expect(mayReadWave(analystC1, units(C1))).toBe(true);
		expect(mayReadWave(analystQ, units(P))).toBe(false);
		expect(mayReadWave(analystC1, units(P))).toBe(false);
	});

	it('changes the reference figures only with scope over the whole province', () => {
		expect(mayEditReference(analystP, units(P))).toBe(true);
		expect(mayEditReference(analystAll, units(P))).toBe(true);
		expect(mayEditReference(analystC1, units(P))).toBe(false);
		expect(mayEditReference(analystQ, units(P))).toBe(false);
	});

	it('exports microdata only with the analyst role and the microdata grant for the units', () => {
		expect(mayExportMicrodata(microP, units(P))).toBe(true);
		expect(mayExportMicrodata(microP, units(C1))).toBe(true);
		expect(mayExportMicrodata([...analystP, grant('microdata')], units(Q))).toBe(true);
		// the analyst without the grant, the grant elsewhere, the grant without the analyst role
		expect(mayExportMicrodata(analystP, units(P))).toBe(false);
		expect(mayExportMicrodata([...analystQ, grant('microdata', null, Q)], units(P))).toBe(false);
		expect(mayExportMicrodata([grant('microdata', null, P)], units(P))).toBe(false);
		expect(mayExportMicrodata([grant('admin'), grant('microdata')], units(P))).toBe(false);
		expect(microdataScope(microP)).toEqual([P]);
		expect(microdataScope([grant('microdata')])).toEqual([]);
	});
});
