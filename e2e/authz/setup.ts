import { readFile } from 'node:fs/promises';
import type { APIRequestContext, APIResponse, PlaywrightWorkerArgs } from '@playwright/test';
import { DEMO_PASSWORD, unique } from '../helpers';
import { AGENCY_NAMES, DEMO_LOGINS, GRANTS, type Persona } from './personas';
import type { Fixtures } from './rules';

/**
 * The personas and objects of the authorization matrix. Demo accounts are used as they are
 * (never changed: other test files use them at the same time); the analyst outside province 08,
 * the analyst of one commune, the interviewer of one commune and the disabled account are made
 * here, as are the question, disclosure, plan, instrument and waves the matrix works on, each
 * with a unique name.
 */

type Request = PlaywrightWorkerArgs['playwright']['request'];
export const SESSION_COOKIE = 'cv_session';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

export type Multipart = Record<string, string | { name: string; mimeType: string; buffer: Buffer }>;

function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The capture of the last match of `pattern` before the first `marker` in `html`. */
function lastBefore(html: string, marker: string, pattern: RegExp, what: string): string {
	const at = html.indexOf(marker);
	if (at < 0) throw new Error(`setup: "${marker}" not found (looking for ${what})`);
	const found = [...html.slice(0, at).matchAll(new RegExp(pattern.source, 'g'))].pop();
	if (!found?.[1]) throw new Error(`setup: no ${what} before "${marker}"`);
	return found[1];
}

/** The capture of the first match of `pattern` from the first `marker` on. */
function firstAfter(html: string, marker: string, pattern: RegExp, what: string): string {
	const at = html.indexOf(marker);
	const found = at < 0 ? null : pattern.exec(html.slice(at));
	if (!found?.[1]) throw new Error(`setup: no ${what} after "${marker}"`);
	return found[1];
}

function optionValue(html: string, label: string): string {
	const found = new RegExp(`<option value="([^"]+)"[^>]*>\\s*${escape(label)}\\s*</option>`).exec(
		html
	);
	if (!found) throw new Error(`setup: no option "${label}"`);
	return found[1]!;
}

async function expectStatus(response: APIResponse, status: number, what: string) {
	if (response.status() !== status) {
		const text = (await response.text()).replace(/\s+/g, ' ').slice(0, 300);
		throw new Error(`setup: ${what} answered ${response.status()}, not ${status}: ${text}`);
	}
	return response;
}

function location(response: APIResponse): string {
	return response.headers()['location'] ?? '';
}

/** One request context per persona, each sending its session cookie (or none). */
export class Personas {
	private readonly sessions = new Map<Persona, APIRequestContext>();
	private readonly tokens = new Map<Persona, string | null>();

	constructor(
		private readonly request: Request,
		readonly baseURL: string
	) {}

	/** A context that sends this session cookie on every request, whatever the answers say. */
	private async context(token: string | null) {
		return this.request.newContext({
			baseURL: this.baseURL,
			extraHTTPHeaders: token ? { cookie: `${SESSION_COOKIE}=${token}` } : {}
		});
	}

	/** Signs in through the form; the session token, or the failed answer's status. */
	async signIn(email: string, password = DEMO_PASSWORD): Promise<string | number> {
		const api = await this.context(null);
		try {
			const response = await api.post('/sign-in', {
				form: { email, password },
				headers: { origin: this.baseURL, accept: 'text/html' },
				maxRedirects: 0
			});
			const cookie = response
				.headersArray()
				.filter((h) => h.name.toLowerCase() === 'set-cookie')
				.map((h) => new RegExp(`^${SESSION_COOKIE}=([^;]+)`).exec(h.value)?.[1])
				.find(Boolean);
			return response.status() === 303 && cookie ? cookie : response.status();
		} finally {
			await api.dispose();
		}
	}

	async add(persona: Persona, token: string | null) {
		this.tokens.set(persona, token);
		this.sessions.set(persona, await this.context(token));
	}

	/** The persona's session token, for a browser that should be signed in as them. */
	token(persona: Persona): string | null {
		const token = this.tokens.get(persona);
		if (token === undefined) throw new Error(`setup: no session for ${persona}`);
		return token;
	}

	async signInAs(persona: Persona, email: string, password = DEMO_PASSWORD) {
		const token = await this.signIn(email, password);
		if (typeof token !== 'string') throw new Error(`setup: ${email} could not sign in (${token})`);
		await this.add(persona, token);
	}

	get(persona: Persona): APIRequestContext {
		const api = this.sessions.get(persona);
		if (!api) throw new Error(`setup: no session for ${persona}`);
		return api;
	}

	async page(persona: Persona, path: string): Promise<string> {
		const response = await this.get(persona).get(path, { maxRedirects: 0 });
		return (await expectStatus(response, 200, `GET ${path} as ${persona}`)).text();
	}

	async post(
		persona: Persona,
		path: string,
		body: { form?: Record<string, string>; multipart?: Multipart },
		status: number,
		what: string
	): Promise<APIResponse> {
		const response = await this.get(persona).post(path, {
			...(body.multipart ? { multipart: body.multipart } : { form: body.form ?? {} }),
			headers: { origin: this.baseURL, accept: 'text/html' },
			maxRedirects: 0
		});
		return expectStatus(response, status, what);
	}

	async dispose() {
		for (const api of this.sessions.values()) await api.dispose();
	}
}

/** Makes the personas and the objects; returns the ids the rules put in the addresses. */
export async function prepare(personas: Personas): Promise<Fixtures> {
	const stamp = unique();
	await personas.add('anonymous', null);
	for (const [persona, email] of Object.entries(DEMO_LOGINS))
		await personas.signInAs(persona as Persona, email);

	// two accounts of the test's own, made by the admin as an admin would
	const outsideEmail = `authz.phantich.ngoai.${stamp}@demo.civicvoice.vn`;
	const communeAnalystEmail = `authz.phantich.xa.${stamp}@demo.civicvoice.vn`;
	const communeInterviewerEmail = `authz.dieutravien.xa.${stamp}@demo.civicvoice.vn`;
	const disabledEmail = `authz.khoa.${stamp}@demo.civicvoice.vn`;
	const password = `authz-password-${stamp}`;
	for (const email of [outsideEmail, communeAnalystEmail, communeInterviewerEmail, disabledEmail])
		await personas.post(
			'admin',
			'/admin?/create',
			{ form: { email, displayName: 'Tài khoản kiểm thử phân quyền', password } },
			200,
			`creating ${email}`
		);
	const admin = await personas.page('admin', '/admin');
	const userId = (email: string) =>
		firstAfter(admin, email, /name="userId" value="([0-9a-f-]{36})"/, `the id of ${email}`);
	const agencyA = optionValue(admin, AGENCY_NAMES.A);
	const agencyB = optionValue(admin, AGENCY_NAMES.B);
	// the grants personas.ts declares for them
	const made: [Persona, string][] = [
		['analystOutside', outsideEmail],
		['analystCommune', communeAnalystEmail],
		['interviewerCommune', communeInterviewerEmail],
		['disabled', disabledEmail]
	];
	const agencyIds = { A: agencyA, B: agencyB };
	const grants: [string, Record<string, string>][] = made.flatMap(([persona, email]) =>
		GRANTS[persona].map((g): [string, Record<string, string>] => [
			email,
			{
				role: g.role,
				...(g.agency ? { agencyId: agencyIds[g.agency] } : {}),
				...(g.unit ? { unitCode: g.unit } : {})
			}
		])
	);
	for (const [email, grant] of grants)
		await personas.post(
			'admin',
			'/admin?/grant',
			{ form: { userId: userId(email), ...grant } },
			200,
			`granting ${grant.role} to ${email}`
		);
	await personas.signInAs('analystOutside', outsideEmail, password);
	await personas.signInAs('analystCommune', communeAnalystEmail, password);
	await personas.signInAs('interviewerCommune', communeInterviewerEmail, password);
	// signed in first, disabled afterwards: the session it already holds must stop working
	const disabledToken = await personas.signIn(disabledEmail, password);
	if (typeof disabledToken !== 'string')
		throw new Error(`setup: ${disabledEmail} could not sign in (${disabledToken})`);
	await personas.add('disabled', disabledToken);
	await personas.page('disabled', '/officials'); // let in while the account is enabled
	await personas.post(
		'admin',
		'/admin?/disable',
		{ form: { userId: userId(disabledEmail) } },
		200,
		'disabling the account'
	);

	// a citizen's question with an attachment, routed by the moderator to agency A
	const plans = await personas.page('officialA', '/officials/plans');
	const provinceUnit = optionValue(plans, 'Tỉnh Tuyên Quang');
	const title = `Câu hỏi kiểm thử phân quyền ${stamp}`;
	const asked = await personas.get('anonymous').post('/questions/ask?/ask', {
		multipart: {
			topic: 'lao-dong',
			unit: provinceUnit,
			agency: agencyA,
			title,
			body: 'Xin hỏi thủ tục này cần những giấy tờ gì và nộp ở đâu?',
			files: { name: 'giay-to.pdf', mimeType: 'application/pdf', buffer: PDF }
		},
		headers: { origin: personas.baseURL, accept: 'text/html' },
		maxRedirects: 0
	});
	if (asked.status() === 429)
		throw new Error('setup: the ask form is rate limited (QUESTIONS_PER_HOUR per address)');
	await expectStatus(asked, 303, 'asking a question');
	const queue = await personas.page('moderator', '/officials/questions?view=moderation');
	const question = lastBefore(queue, title, /questions\/(\d+)"/, 'the question id');
	await personas.post(
		'moderator',
		`/officials/questions/${question}?/accept`,
		{
			form: {
				agencies: agencyA,
				topic: 'lao-dong',
				publicTitle: title,
				publicBody: 'Xin hỏi thủ tục này cần những giấy tờ gì và nộp ở đâu?'
			}
		},
		200,
		'routing the question to agency A'
	);
	const caseHtml = await personas.page('moderator', `/officials/questions/${question}`);
	const questionFile = lastBefore(caseHtml, 'giay-to.pdf', /files\/(\d+)"/, 'the attachment id');

	// a draft disclosure of agency A
	const disclosure = await personas.post(
		'officialA',
		'/officials/disclosures/new',
		{
			multipart: {
				type: 'ket-qua-tuyen-dung',
				unit: provinceUnit,
				agency: agencyA,
				title: `Kết quả tuyển dụng (kiểm thử phân quyền ${stamp})`,
				summary: 'Bản nháp dùng cho kiểm thử phân quyền.',
				body: 'Nội dung nháp.',
				effectiveOn: '2026-01-10'
			}
		},
		303,
		'creating a disclosure'
	);
	const disclosureId = /\/officials\/disclosures\/(\d+)(?:\?|$)/.exec(location(disclosure))?.[1];

	// a plan of agency A with one task it leads, reported on with an evidence file
	const plan = await personas.post(
		'officialA',
		'/officials/plans',
		{
			form: {
				title: `Kế hoạch kiểm thử phân quyền ${stamp}`,
				unit: provinceUnit,
				agency: agencyA,
				instrument: optionValue(plans, 'PAPI'),
				yearFrom: '2026',
				yearTo: '2026',
				frequency: 'yearly',
				weakBelow: '50'
			}
		},
		303,
		'creating a plan'
	);
	const planId = /\/officials\/plans\/(\d+)(?:\?|$)/.exec(location(plan))?.[1];
	const taskTitle = `Nhiệm vụ kiểm thử phân quyền ${stamp}`;
	await personas.post(
		'officialA',
		`/officials/plans/${planId}/tasks/new`,
		{ form: { title: taskTitle, lead: agencyA } },
		303,
		'adding a task'
	);
	const planHtml = await personas.page('officialA', `/officials/plans/${planId}`);
	const task = lastBefore(planHtml, taskTitle, /tasks\/(\d+)"/, 'the task id');
	await personas.post(
		'officialA',
		`/officials/plans/${planId}/tasks/${task}?/report`,
		{
			multipart: {
				period: '2026',
				percent: '10',
				progress: 'Đã triển khai bước đầu.',
				files: { name: 'minh-chung.pdf', mimeType: 'application/pdf', buffer: PDF }
			}
		},
		200,
		'reporting on the task'
	);
	const taskHtml = await personas.page('officialA', `/officials/plans/${planId}/tasks/${task}`);
	const taskFile = lastBefore(taskHtml, 'minh-chung.pdf', /files\/(\d+)"/, 'the evidence id');
	// a new plan is a draft: the matrix shows that only the agencies carrying a draft read it

	// an instrument of the test's own (a draft), and a wave of province 08
	const spec = JSON.parse(
		await readFile(new URL('../../seeds/instruments/sipas.json', import.meta.url), 'utf8')
	);
	spec.slug = `authz-${stamp}`;
	spec.title.vi = `Phiếu kiểm thử phân quyền ${stamp}`;
	const instrumentQuestion: string = spec.sections[0].parts[0].questions[0].code;
	await personas.post(
		'analyst',
		'/fieldwork?/import',
		{
			multipart: {
				file: {
					name: 'phieu.json',
					mimeType: 'application/json',
					buffer: Buffer.from(JSON.stringify(spec))
				}
			}
		},
		200,
		'importing an instrument'
	);
	const fieldwork = await personas.page('analyst', '/fieldwork');
	const instrument = lastBefore(fieldwork, spec.title.vi, /instruments\/(\d+)"/, 'the instrument');
	const newWave = await personas.page('analyst', '/fieldwork/waves/new');
	const publishedVersion = firstAfter(
		newWave,
		'name="versionId"',
		/<option value="(\d+)"/,
		'a published version'
	);
	const wave = await personas.post(
		'analyst',
		'/fieldwork/waves/new',
		{
			form: {
				slug: `authz-${stamp}`,
				titleVi: `Đợt kiểm thử phân quyền ${stamp}`,
				titleEn: `Authorization test wave ${stamp}`,
				versionId: publishedVersion,
				layout: 'single',
				accessMode: 'invitation',
				units: '08'
			}
		},
		303,
		'creating a wave'
	);
	const fieldworkWave = /\/fieldwork\/waves\/(\d+)(?:\?|$)/.exec(location(wave))?.[1];

	// an open one-page wave of Xã Vị Xuyên on the published SIPAS questionnaire, for interviewers
	const sipasTitle = JSON.parse(
		await readFile(new URL('../../seeds/instruments/sipas.json', import.meta.url), 'utf8')
	).title.vi;
	const interviewWave = `authz-phong-van-${stamp}`;
	const created = await personas.post(
		'analyst',
		'/fieldwork/waves/new',
		{
			form: {
				slug: interviewWave,
				titleVi: `Đợt phỏng vấn kiểm thử phân quyền ${stamp}`,
				titleEn: `Authorization interview wave ${stamp}`,
				versionId: optionValue(newWave, `${sipasTitle} — Phiên bản 1`),
				layout: 'single',
				accessMode: 'open',
				units: '00913'
			}
		},
		303,
		'creating the interview wave'
	);
	await personas.post(
		'analyst',
		`${location(created)}?/open`,
		{ form: {} },
		200,
		'opening the interview wave'
	);
	const newDisclosure = await personas.page('officialB', '/officials/disclosures/new');
	const otherCommuneUnit = optionValue(newDisclosure, 'Phường Minh Xuân');

	// the demo's closed 2025 wave of province 08, whose results are out
	const analytics = await personas.page('analyst', '/analytics');
	const analyticsWave = lastBefore(analytics, 'đợt năm 2025', /waves\/(\d+)"/, 'the 2025 wave');

	// an approved apology letter of agency A, for a dossier of agency A handled late (due in 2024,
	// so that it is among the first late dossiers listed)
	const letterProcedure = `Cấp bản sao trích lục hộ tịch ${stamp}`;
	await personas.post(
		'officialA',
		'/officials/dossiers?/import',
		{
			multipart: {
				agency: agencyA,
				file: {
					name: 'ho-so-tre-han.csv',
					mimeType: 'text/csv',
					buffer: Buffer.from(
						'Mã hồ sơ;Thủ tục;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Ngày hoàn thành;Hình thức\r\n' +
							`AUTHZ-${stamp};${letterProcedure};Hộ tịch;02/01/2024;04/01/2024;08/01/2024;Trực tiếp\r\n`
					)
				}
			}
		},
		200,
		'importing a late dossier'
	);
	const lateList = await personas.page('officialA', '/officials/letters');
	const letterDossier = firstAfter(
		lateList,
		letterProcedure,
		/name="id" value="(\d+)"/,
		'the late dossier'
	);
	const drafted = await personas.post(
		'officialA',
		'/officials/letters?/draft',
		{ form: { kind: 'dossier', id: letterDossier } },
		303,
		'drafting its apology letter'
	);
	const letter = /\/officials\/letters\/(\d+)/.exec(location(drafted))?.[1] ?? '';
	await personas.post(
		'officialA',
		`/officials/letters/${letter}?/save`,
		{ form: { body: 'Cơ quan thành thật xin lỗi Ông/Bà vì đã trả kết quả chậm.' } },
		200,
		'filling in the letter'
	);
	await personas.post(
		'approverA',
		`/officials/letters/${letter}?/approve`,
		{ form: {} },
		200,
		'approving the letter'
	);

	const fixtures = {
		agencyA,
		agencyB,
		provinceUnit,
		question,
		questionFile,
		disclosure: disclosureId,
		plan: planId,
		task,
		taskFile,
		instrument,
		instrumentQuestion,
		fieldworkWave,
		analyticsWave,
		publishedVersion,
		otherCommuneUnit,
		interviewWave,
		letterDossier,
		letter,
		stamp
	};
	for (const [key, value] of Object.entries(fixtures))
		if (!value) throw new Error(`setup: no ${key}`);
	return fixtures as Fixtures;
}
