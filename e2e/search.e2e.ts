import { expect, test, type Page } from '@playwright/test';
import { DEMO, expectNoAxeViolations, signIn } from './helpers';

const LAND = 'Thủ tục đất đai khi cấp Giấy chứng nhận quyền sử dụng đất lần đầu';

/** Searches the public question list as a visitor does: the search box, then the button. */
async function search(page: Page, words: string) {
	await page.goto('/questions');
	const form = page.getByRole('search');
	await form.getByLabel('Từ khóa (gõ có dấu hoặc không dấu)').fill(words);
	await form.getByRole('button', { name: 'Tìm kiếm' }).click();
	await expect(page).toHaveURL(/[?&]q=/);
}

const results = (page: Page) => page.getByRole('list', { name: /câu hỏi/ });

test('what people say finds what the texts say: "thoi gian cap so do" finds the land-use certificate', async ({
	page
}) => {
	await search(page, 'thoi gian cap so do');
	await expect(results(page).getByRole('link', { name: LAND })).toBeVisible();
	// best match first is the order when there is a keyword, without choosing it
	await expect(page.getByLabel('Sắp xếp')).toHaveValue('');
	// the exam question says "cấp" but nothing of the certificate
	await expect(page.getByRole('link', { name: /thi tuyển công chức/ })).toHaveCount(0);
	await expectNoAxeViolations(page);
});

test('a search with no result offers to ask, with the words searched carried into the question', async ({
	page
}) => {
	const words = 'hộ chiếu phổ thông cho trẻ em';
	await search(page, words);
	const none = page.getByText('Không tìm thấy câu hỏi nào.');
	await expect(none).toBeVisible();
	await expectNoAxeViolations(page);
	await none.getByRole('link', { name: 'Đặt câu hỏi' }).click();
	await expect(page).toHaveURL(/\/questions\/ask\?q=/);
	await expect(page.getByLabel('Tiêu đề câu hỏi')).toHaveValue(words);
});

test('an admin adds a group of synonyms and the search finds it at once; a bad group is refused, a deleted one no longer counts', async ({
	page,
	browser
}) => {
	const visitor = await browser.newPage();
	await search(visitor, 'trich luc ban do dia chinh');
	await expect(visitor.getByText('Không tìm thấy câu hỏi nào.')).toBeVisible();

	await signIn(page, DEMO.admin);
	await page.goto('/admin');
	await page.getByRole('link', { name: 'Từ đồng nghĩa cho tìm kiếm' }).click();
	await expect(page.getByRole('region', { name: 'Các nhóm từ cùng nghĩa' })).toContainText(
		'sổ đỏ = sổ hồng = giấy chứng nhận quyền sử dụng đất = GCNQSDĐ'
	);
	await expectNoAxeViolations(page);

	const terms = page.getByLabel('Các từ cùng nghĩa');
	// one line is not a group; a term another group holds is refused beside the field
	await terms.fill('trích lục bản đồ địa chính');
	await page.getByRole('button', { name: 'Thêm nhóm từ' }).click();
	await expect(page.getByText('Nhập từ 2 đến 12 từ, mỗi dòng một từ.').first()).toBeVisible();
	await terms.fill('trích lục bản đồ địa chính\nSo do');
	await page.getByRole('button', { name: 'Thêm nhóm từ' }).click();
	await expect(page.getByText(/Có từ đã nằm trong một nhóm khác/).first()).toBeVisible();
	await expect(terms).toHaveValue('trích lục bản đồ địa chính\nSo do');

	await terms.fill('trích lục bản đồ địa chính\nđơn đăng ký đất đai');
	await page.getByRole('button', { name: 'Thêm nhóm từ' }).click();
	await expect(page.getByRole('status')).toContainText(
		'Đã thêm nhóm: trích lục bản đồ địa chính = đơn đăng ký đất đai.'
	);

	// the land question's answer asks for the "Đơn đăng ký đất đai"
	await search(visitor, 'trich luc ban do dia chinh');
	await expect(results(visitor).getByRole('link', { name: LAND })).toBeVisible();

	const row = page.getByRole('row').filter({ hasText: 'trích lục bản đồ địa chính' });
	await row.getByRole('button', { name: 'Xóa trích lục bản đồ địa chính' }).click();
	await expect(page.getByRole('status')).toContainText('Đã xóa nhóm: trích lục bản đồ địa chính');
	await search(visitor, 'trich luc ban do dia chinh');
	await expect(visitor.getByText('Không tìm thấy câu hỏi nào.')).toBeVisible();

	await page.goto('/admin/audit?action=search_synonym.delete');
	await expect(page.getByRole('cell', { name: /Xóa nhóm từ đồng nghĩa/ }).first()).toBeVisible();
	await visitor.close();
});
