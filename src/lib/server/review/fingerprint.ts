import { createHash } from 'node:crypto';

/**
 * What an approver saw: a fingerprint of a version's text and files, put in the approval form
 * when the page is shown and compared again when the approval is stored. A colleague who changes
 * and resubmits the version in between makes the approval fail, so nobody publishes text they
 * have not read.
 */
export function reviewFingerprint(content: unknown): string {
	return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/** How a fingerprint travels in a form. */
export const FINGERPRINT = /^[0-9a-f]{64}$/;
