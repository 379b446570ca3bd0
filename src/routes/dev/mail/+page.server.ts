import { error } from '@sveltejs/kit';
import { dev } from '$app/environment';
import { m } from '$lib/paraglide/messages';
import { config } from '$lib/server/config';
import { mailboxDir } from '$lib/server/notify/start';
import type { PageServerLoad } from './$types';

/**
 * The development mailbox: what `vite dev` would have sent. Not found in a build (the branch that
 * reads the mailbox is left out of it, and mailparser with it).
 */
export const load: PageServerLoad = async ({ url }) => {
	if (dev) {
		const { listMailbox, readMailboxMessage } = await import('$lib/server/notify/mailbox');
		const dir = mailboxDir(config());
		const id = url.searchParams.get('id');
		const message = id === null ? null : await readMailboxMessage(dir, id);
		if (id !== null && !message) error(404, { message: m.error_not_found() });
		return { dir, messages: message ? [] : await listMailbox(dir), message };
	}
	error(404, { message: m.error_not_found() });
};
