import { test } from '@playwright/test';
import { adminCorpus } from './xss/admin';
import { PAYLOADS } from './xss/corpus';
import { setOrigin } from './xss/post';
import { questionsCorpus } from './xss/questions';
import { surveysCorpus } from './xss/surveys';
import { disclosuresCorpus, plansCorpus } from './xss/publishing';

test.beforeEach(({ baseURL }) => setOrigin(baseURL!));

test(`the question flow shows all ${PAYLOADS.length} payloads in every field as text, and no script runs`, async ({
	browser
}) => {
	// ~400 posts and ~300 pages; about 2.5 min alone, 4.5 min beside other tests on two cores
	test.setTimeout(600_000);
	const started = Date.now();
	const covered = await questionsCorpus(browser);
	console.log(
		`questions: ${JSON.stringify(covered)} in ${Math.round((Date.now() - started) / 1000)} s`
	);
});

test(`disclosures show all ${PAYLOADS.length} payloads in every field, table and chart as text, and no script runs`, async ({
	browser
}) => {
	test.setTimeout(420_000);
	const started = Date.now();
	const covered = await disclosuresCorpus(browser);
	console.log(
		`disclosures: ${JSON.stringify(covered)} in ${Math.round((Date.now() - started) / 1000)} s`
	);
});

test(`plans show all ${PAYLOADS.length} payloads in every field as text, and no script runs`, async ({
	browser
}) => {
	test.setTimeout(420_000);
	const started = Date.now();
	const covered = await plansCorpus(browser);
	console.log(
		`plans: ${JSON.stringify(covered)} in ${Math.round((Date.now() - started) / 1000)} s`
	);
});

test(`survey instruments and waves show all ${PAYLOADS.length} payloads in every text as text, and no script runs`, async ({
	browser
}) => {
	test.setTimeout(300_000);
	const started = Date.now();
	const covered = await surveysCorpus(browser);
	console.log(
		`surveys: ${JSON.stringify(covered)} in ${Math.round((Date.now() - started) / 1000)} s`
	);
});

test(`account names, disclosure types and calendar reasons show all ${PAYLOADS.length} payloads as text, and no script runs`, async ({
	browser
}) => {
	test.setTimeout(300_000);
	const started = Date.now();
	const covered = await adminCorpus(browser);
	console.log(
		`admin: ${JSON.stringify(covered)} in ${Math.round((Date.now() - started) / 1000)} s`
	);
});
