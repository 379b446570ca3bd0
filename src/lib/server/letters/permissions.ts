/**
 * Who handles apology letters, per agency: the agency's officials and approvers see its late
 * dossiers and answers, draft and edit their letters and print the approved ones; only an approver
 * of the agency approves, and never a letter they drafted or last changed (four eyes, decided in
 * letters.ts). Admins manage accounts, not letters. Pure, read by the service, the pages and the
 * authorization matrix (e2e/authz).
 */
import { agenciesFor, staffAgencies, type Grant } from '$lib/auth/access';

/** The agencies whose letters a staff member handles. */
export const letterAgencies = (grants: readonly Grant[]): number[] => staffAgencies(grants);

export const mayHandleLetters = (grants: readonly Grant[]): boolean =>
	letterAgencies(grants).length > 0;

/** Whether a staff member drafts, edits and prints the letters of one agency. */
export const mayDraftLetter = (grants: readonly Grant[], agencyId: number): boolean =>
	letterAgencies(grants).includes(agencyId);

/** Whether a staff member may approve the letters of one agency (not their own). */
export const mayApproveLetter = (grants: readonly Grant[], agencyId: number): boolean =>
	agenciesFor(grants, 'approver').includes(agencyId);
