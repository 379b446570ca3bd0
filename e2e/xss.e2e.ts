import { test } from '@playwright/test';
import { PAYLOADS } from './xss/corpus';
import { setOrigin } from './xss/post';
import { questionsCorpus } from './xss/questions';

test.beforeEach(({ baseURL }) => setOrigin(baseURL!));

test(`the question flow shows all ${PAYLOADS.length} payloads in every field as text, and no script runs`, async ({
	browser
}) => {
	test.setTimeout(300_000);
	const started = Date.now();
	const covered = await questionsCorpus(browser);
	console.log(
		`questions: ${JSON.stringify(covered)} in ${Math.round((Date.now() - started) / 1000)} s`
	);
});
