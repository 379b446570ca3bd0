import { json } from '@sveltejs/kit';
import { openDataJsonSchema } from '$lib/disclosures/open-data';
import type { RequestHandler } from './$types';

/** JSON Schema of /api/disclosures ($defs.list) and /api/disclosures/{id} ($defs.item). */
export const GET: RequestHandler = () =>
	json(openDataJsonSchema(), { headers: { 'access-control-allow-origin': '*' } });
