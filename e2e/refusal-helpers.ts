import { expect, test, type Page } from '@playwright/test';
import { ANSWER_TIMEOUT } from './helpers';

/** The width of a cheap phone: the refusal tests run there, with and without JavaScript. */
export const PHONE = { width: 360, height: 740 } as const;

/**
 * Declares `body` twice, at phone width, once with JavaScript and once without, so that both the
 * enhanced form and the plain post are held to the same contract.
 */
export function withAndWithoutScript(
	title: string,
	body: (page: Page, js: boolean) => Promise<void>
) {
	for (const js of [true, false]) {
		test.describe(`${title} (JavaScript ${js ? 'on' : 'off'})`, () => {
			test.use({ viewport: PHONE, javaScriptEnabled: js });
			test('refused form shows why', async ({ page }) => body(page, js));
		});
	}
}

type Expected = {
	/** field name -> what was typed, which must still be in the form */
	kept?: Record<string, string>;
	/** the fields the summary must link to (their controls are `#field-<name>` unless `target`) */
	linked?: string[];
	target?: (field: string) => string;
	/** a text the summary must contain (the reason of a refused step) */
	says?: string | RegExp;
};

/**
 * After a submit: focus is on a visible error summary at the top of the form, the title starts
 * with "Lỗi:" (or "Error:"), each listed field's link leads to that field, and what was typed is
 * still there.
 */
export async function expectRefusal(page: Page, expected: Expected) {
	const summary = page.locator('.error-summary');
	await expect(summary).toBeVisible({ timeout: ANSWER_TIMEOUT });
	await expect(summary).toBeFocused();
	await expect(summary).toBeInViewport();
	await expect(page).toHaveTitle(/^(Lỗi|Error): /);
	if (expected.says) await expect(summary).toContainText(expected.says);
	for (const [name, value] of Object.entries(expected.kept ?? {})) {
		await expect(page.locator(`[name="${name}"]`).first()).toHaveValue(value);
	}
	const target = expected.target ?? ((field: string) => `field-${field}`);
	for (const field of expected.linked ?? []) {
		const link = summary.locator(`a[href="#${target(field)}"]`);
		await expect(link).toBeVisible();
		await link.click();
		await expect(page.locator(`#${target(field)}`)).toBeInViewport();
		await expect(page).toHaveURL(new RegExp(`#${target(field)}$`));
	}
}
