/**
 * Who may do what to a citizen's question: the single statement, read by the case services, the
 * routes and the authorization matrix (e2e/authz). Pure: the staff's grants and the question's
 * handling agency or status decide; nothing here reads the database.
 */
import { agenciesFor, staffAgencies, type Staff } from '$lib/auth/access';

export type CaseRights = {
	/** accept, reject, ask for detail, merge, redact: any moderator, on any case */
	moderate: boolean;
	/** draft replies, add notes, transfer: an official of the handling agency */
	draft: boolean;
	/** publish or return a submitted reply: an approver of the handling agency */
	approve: boolean;
	/** sees the case at all (and the asker's contact) */
	see: boolean;
};

/** Whether `staff` moderates the incoming questions (the moderation queue, routing). */
export function mayModerate(staff: Pick<Staff, 'grants'>): boolean {
	return staff.grants.some((g) => g.role === 'moderator');
}

/** What `staff` may do on a case handled by `agencyId` (null before routing). */
export function caseRights(staff: Pick<Staff, 'grants'>, agencyId: number | null): CaseRights {
	const moderate = mayModerate(staff);
	const draft = agencyId !== null && agenciesFor(staff.grants, 'official').includes(agencyId);
	const approve = agencyId !== null && agenciesFor(staff.grants, 'approver').includes(agencyId);
	return { moderate, draft, approve, see: moderate || draft || approve };
}

/** The agencies whose cases `staff` handle (their queue and workload): as official or approver. */
export function caseAgencies(staff: Pick<Staff, 'grants'>): number[] {
	return staffAgencies(staff.grants);
}

/** Whether the asker may rate now: answered, and not rated since the last answer. */
export function mayRate(q: { status: string; rated_at: Date | null; answered_at: Date | null }) {
	return (
		q.status === 'answered' &&
		(q.rated_at === null || (q.answered_at !== null && q.rated_at < q.answered_at))
	);
}

/** Whether the asker may ask again: answered, and not reopened before (once per question). */
export function mayReopen(q: { status: string; reopened_at: Date | null }) {
	return q.status === 'answered' && q.reopened_at === null;
}
