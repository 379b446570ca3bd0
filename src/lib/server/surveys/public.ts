import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getWaveCached, type Wave } from './waves';

/** The wave a citizen page is about: 404 unless it is open or closed (drafts are not public). */
export async function publicWave(slug: string): Promise<Wave> {
	const wave = await getWaveCached(await getDb(), slug);
	if (!wave || wave.status === 'draft') error(404, { message: 'not found' });
	return wave;
}
