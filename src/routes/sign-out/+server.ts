import { redirect } from '@sveltejs/kit';
import { dev } from '$app/environment';
import { audit } from '$lib/server/audit';
import { deleteSessionCookie, invalidateSession } from '$lib/server/auth/session';
import { getDb } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** A POST (never a GET, which a link preview could trigger); SvelteKit checks its origin. */
export const POST: RequestHandler = async ({ locals, cookies }) => {
	if (locals.session) {
		const db = await getDb();
		await invalidateSession(db, locals.session.id);
		await audit(db, {
			actorId: locals.session.userId,
			action: 'auth.sign_out',
			entityType: 'user',
			entityId: locals.session.userId
		});
	}
	deleteSessionCookie(cookies, !dev);
	redirect(303, '/');
};
