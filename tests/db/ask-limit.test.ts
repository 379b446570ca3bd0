import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hitAskLimit } from '$lib/server/questions/ask';
import { backends, migratedDb, type TestDb } from './harness';

// The README promises QUESTIONS_PER_HOUR (10 by default) questions an hour from one address;
// the browser tests run their server with a higher limit, as they all ask from one address.
describe.each(backends)('the ask form’s limit per address on %s', (backend) => {
	let t: TestDb;

	beforeAll(async () => {
		t = await migratedDb(backend);
	});
	afterAll(async () => t?.close());

	it('lets ten questions an hour through from one address, refuses the eleventh, not another address', async () => {
		const address = '203.0.113.7';
		for (let i = 0; i < 10; i++) expect((await hitAskLimit(t.db, address)).limited).toBe(false);
		const refused = await hitAskLimit(t.db, address);
		expect(refused.limited).toBe(true);
		expect(refused.retryAfterSeconds).toBeGreaterThan(0);
		expect((await hitAskLimit(t.db, '203.0.113.8')).limited).toBe(false);
	});
});
