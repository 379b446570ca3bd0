import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * What an approver saw: a fingerprint of a version's text and files, put in the approval form
 * when the page is shown and compared again when the approval is stored. A colleague who changes
 * and resubmits the version in between makes the approval fail, so nobody publishes text they
 * have not read.
 */
export function reviewFingerprint(content: unknown): string {
	return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/**
 * The fingerprint an approval form sent. It never fails validation: a missing or malformed one
 * simply does not match, so the approval is refused as changed, after the role and scope checks
 * (a stranger still gets 403, not a form error).
 */
export const seenFingerprint = z.string().max(100).catch('');
