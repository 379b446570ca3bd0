import licence from '../../../LICENSE?raw';
import notice from '../../../NOTICE?raw';
import type { RequestHandler } from './$types';

/** The software's licence and the third-party notices, as the footer promises (AGPL § 13). */
export const GET: RequestHandler = () =>
	new Response(`${licence}\n\n${notice}`, {
		headers: {
			'content-type': 'text/plain; charset=utf-8',
			'cache-control': 'public, max-age=86400'
		}
	});
