import { AREA_ROLES, hasAnyRole, type StaffArea, type Staff } from '$lib/auth/access';
import {
	mayEditReference,
	mayExportMicrodata,
	mayReadWave
} from '$lib/server/analytics/permissions';
import { mayManageCounter, mayManageCounters } from '$lib/server/counters/permissions';
import { disclosureRights, maySeeDisclosure } from '$lib/server/disclosures/permissions';
import {
	mayChangePlanStatus,
	mayManagePlan,
	mayReadPlan,
	mayReportOnTask
} from '$lib/server/plans/permissions';
import { dossierAgencies, mayImportDossiers } from '$lib/server/dossiers/permissions';
import { mayApproveLetter, mayDraftLetter } from '$lib/server/letters/permissions';
import { mayPrepareDelayList } from '$lib/server/delays/permissions';
import { caseRights, type CaseRights } from '$lib/server/questions/permissions';
import { mayChangeInstrument, mayRunWave } from '$lib/server/surveys/permissions';
import { unitsOf } from './personas';

/**
 * Who may use each staff page, form action and endpoint. Every entry of the route tree under
 * src/routes/(staff) must have a rule here (the matrix test reads the tree and fails on a route,
 * action or method without one, and on a rule for something that no longer exists).
 *
 * A rule does not list personas: it asks the staff area's roles (AREA_ROLES) and the feature's
 * permissions.ts, with each persona's grants (personas.ts) and the fixtures' objects, so the
 * matrix checks the routes against the one statement of the policy (itself pinned down by
 * tests/unit/permissions.test.ts). Allowed personas must get in; every other signed-in persona
 * expects 403, and a visitor
 * without a session, or with the session of an account disabled since, is sent to sign-in.
 * Objects in the addresses belong to agency A (Sở Nội vụ) or province 08, so "official of
 * another agency", "analyst outside their units" and the analyst of one commune (Vị Xuyên) are
 * refused on the data, not only on a role. The interviewer of one commune (Hà Giang 1) has no
 * staff area; the test's data checks show that they cannot interview for another commune.
 * Where the app refuses an object out of scope it answers 403 (it does not hide that the object
 * exists): questions, disclosures, plans, waves and analytics all say so.
 */

/** Ids of the objects the matrix works on, made or found by the test's setup. */
export type Fixtures = {
	agencyA: string;
	agencyB: string;
	provinceUnit: string;
	question: string;
	questionFile: string;
	disclosure: string;
	plan: string;
	task: string;
	taskFile: string;
	instrument: string;
	instrumentQuestion: string;
	fieldworkWave: string;
	analyticsWave: string;
	publishedVersion: string;
	/** Phường Minh Xuân, a commune the officials of agency B (Xã Vị Xuyên) do not serve */
	otherCommuneUnit: string;
	/** an open one-page SIPAS wave of Xã Vị Xuyên, for the interviewer checks */
	interviewWave: string;
	/** a dossier of agency A handled late, and its apology letter, approved */
	letterDossier: string;
	letter: string;
	stamp: string;
};

export type Body = Record<string, string>;

/** Whether a signed-in persona (their grants, with the fixtures' agency ids) may. */
export type Allow = (staff: Staff, f: Fixtures) => boolean;

export type Access = {
	/** who may; everyone else signed in gets 403 */
	allow: Allow;
	/**
	 * What a refused persona posts: a body that would pass validation, so that the refusal seen is
	 * the authorization check and not a missing field. Allowed personas post an empty form, which
	 * validation rejects, so the matrix changes nothing it does not own.
	 */
	body?: (f: Fixtures) => Body;
	/** post the body as multipart/form-data (forms that also carry files) */
	multipart?: boolean;
};

export type RouteRule = {
	/** values of the route's [params] */
	params?: (f: Fixtures) => Record<string, string>;
	/** a query string the GET of the page or endpoint needs, e.g. "?version=1" */
	query?: string;
	page?: Access;
	actions?: Record<string, Access>;
	endpoints?: Record<string, Access>;
};

const SIGNED_IN: Allow = () => true;
/** the staff area's guard (its roles) */
const area =
	(name: StaffArea, also: Allow = SIGNED_IN): Allow =>
	(staff, f) =>
		hasAnyRole(staff.grants, AREA_ROLES[name]) && also(staff, f);
const ADMIN = area('admin');
const OFFICIALS = area('officials');
const FIELDWORK = area('fieldwork');
const ANALYSTS = area('analytics');
const agencyA = (f: Fixtures) => Number(f.agencyA);

/** the question, routed to agency A */
const onCase = (need: keyof CaseRights) =>
	area('officials', (s, f) => caseRights(s, agencyA(f))[need]);
/** the draft disclosure of agency A */
const SEES_DISCLOSURE = area('officials', (s, f) => maySeeDisclosure(s, agencyA(f)));
const onDisclosure = (need: 'draft' | 'approve') =>
	area(
		'officials',
		(s, f) => maySeeDisclosure(s, agencyA(f)) && disclosureRights(s, agencyA(f))[need]
	);
/** the draft plan of agency A, whose one task agency A leads */
const plan = (f: Fixtures) => ({ agency_id: agencyA(f), status: 'draft' as const });
const READS_PLAN = area('officials', (s, f) => mayReadPlan(s, plan(f), [agencyA(f)]));
const MANAGES_PLAN = area(
	'officials',
	(s, f) => mayReadPlan(s, plan(f), [agencyA(f)]) && mayManagePlan(s, plan(f))
);
const REPORTS_ON_TASK = area(
	'officials',
	(s, f) =>
		mayReadPlan(s, plan(f), [agencyA(f)]) && mayReportOnTask(s, { lead_agency_id: agencyA(f) })
);
/**
 * changing a questionnaire, which any wave of the province may use (the test's instrument is on
 * no wave yet, so its units are the province's)
 */
const CHANGES_INSTRUMENT = area('fieldwork', (s) => mayChangeInstrument(s.grants, unitsOf('08')));
/** a wave of province 08 (the matrix's fieldwork wave, or a new one) */
const RUNS_WAVE_08 = area('fieldwork', (s) => mayRunWave(s.grants, unitsOf('08')));
/** the demo's 2025 wave of province 08 */
const READS_WAVE = area('analytics', (s) => mayReadWave(s.grants, unitsOf('08')));
const EXPORTS_MICRODATA = area(
	'analytics',
	(s) => mayReadWave(s.grants, unitsOf('08')) && mayExportMicrodata(s.grants, unitsOf('08'))
);
/** importing agency A's dossier records: its officials and approvers (admins on their own page) */
const IMPORTS_DOSSIERS = area('officials', (s, f) => mayImportDossiers(s, agencyA(f)));
/** printing a counter's rating slip: anyone at an agency's counter */
const PRINTS_SLIPS = area(
	'officials',
	(s) => dossierAgencies(s) !== 'all' && dossierAgencies(s).length > 0
);
/** the apology letters of agency A: its officials and approvers; approval by its approvers */
const HANDLES_LETTER = area('officials', (s, f) => mayDraftLetter(s.grants, agencyA(f)));
const APPROVES_LETTER = area('officials', (s, f) => mayApproveLetter(s.grants, agencyA(f)));
const EDITS_REFERENCE = area('analytics', (s) => mayEditReference(s.grants, unitsOf('08')));

const versionText = {
	title: 'Sửa trái phép nội dung',
	summary: 'Nội dung này không được phép thay đổi.',
	body: 'Thử ghi đè.',
	effectiveOn: '2026-01-10'
};
const publicWording = {
	publicTitle: 'Tiêu đề công khai trái phép',
	publicBody: 'Nội dung công khai không được phép thay đổi.'
};

export const RULES: Record<string, RouteRule> = {
	'/(staff)/staff': {
		page: { allow: SIGNED_IN },
		// everyone signed in may end their own sessions; the empty form posted here ends none
		actions: { signOutEverywhere: { allow: SIGNED_IN } }
	},
	// everyone signed in sets how they hear of their own work; the empty form posted here sets nothing
	'/(staff)/staff/notifications': {
		page: { allow: SIGNED_IN },
		actions: { save: { allow: SIGNED_IN } }
	},
	// counters and kiosk links: an agency's officials and approvers (their agency's counters) and
	// admins; a refused persona's counter is agency A's, its kiosk ids name nothing
	'/(staff)/staff/counters': {
		page: { allow: (s) => mayManageCounters(s.grants) },
		actions: {
			create: {
				allow: (s, f) => mayManageCounter(s.grants, agencyA(f)),
				body: (f) => ({
					agencyId: f.agencyA,
					name: 'Quầy không được tạo',
					fields: 'Hộ tịch',
					waveId: '2147483647'
				})
			},
			kiosk: {
				allow: (s) => mayManageCounters(s.grants),
				body: () => ({ counterId: '2147483647' })
			},
			update: {
				allow: (s) => mayManageCounters(s.grants),
				body: () => ({ counterId: '2147483647', name: 'Quầy không có', fields: 'Hộ tịch' })
			},
			archive: {
				allow: (s) => mayManageCounters(s.grants),
				body: () => ({ counterId: '2147483647' })
			},
			revoke: { allow: (s) => mayManageCounters(s.grants), body: () => ({ kioskId: '2147483647' }) }
		}
	},

	// accounts, calendar and disclosure types: the administrator only
	'/(staff)/admin': {
		page: { allow: ADMIN },
		actions: {
			create: {
				allow: ADMIN,
				body: (f) => ({
					email: `authz.refused.${f.stamp}@demo.civicvoice.vn`,
					displayName: 'Không được tạo',
					password: 'a-long-enough-password'
				})
			},
			grant: {
				allow: ADMIN,
				body: () => ({ userId: '00000000-0000-4000-8000-000000000000', role: 'admin' })
			},
			revoke: {
				allow: ADMIN,
				body: () => ({ userId: '00000000-0000-4000-8000-000000000000', grantId: '1' })
			},
			disable: { allow: ADMIN, body: () => ({ userId: '00000000-0000-4000-8000-000000000000' }) },
			enable: { allow: ADMIN, body: () => ({ userId: '00000000-0000-4000-8000-000000000000' }) }
		}
	},
	'/(staff)/admin/audit': { page: { allow: ADMIN } },
	// the one-stop systems' API tokens, and dossier imports for any agency
	'/(staff)/admin/dossiers': {
		page: { allow: ADMIN },
		actions: {
			preview: { allow: ADMIN, multipart: true, body: (f) => ({ agency: f.agencyA }) },
			import: { allow: ADMIN, multipart: true, body: (f) => ({ agency: f.agencyA }) },
			token: { allow: ADMIN, body: (f) => ({ tokenAgency: f.agencyA, label: 'Không được tạo' }) },
			revoke: { allow: ADMIN, body: () => ({ id: '1' }) }
		}
	},
	'/(staff)/admin/notifications': {
		page: { allow: ADMIN },
		actions: { retry: { allow: ADMIN, body: () => ({ id: '1' }) } }
	},
	'/(staff)/admin/synonyms': {
		page: { allow: ADMIN },
		actions: {
			save: { allow: ADMIN, body: () => ({ terms: 'không được thêm\nkhông được sửa' }) },
			delete: { allow: ADMIN, body: () => ({ id: '1' }) }
		}
	},
	'/(staff)/admin/calendar': {
		page: { allow: ADMIN },
		actions: {
			mark: {
				allow: ADMIN,
				body: () => ({ day: '2031-01-02', working: 'off', reasonVi: 'Không được ghi' })
			},
			unmark: { allow: ADMIN, body: () => ({ day: '2026-02-16' }) }
		}
	},
	'/(staff)/admin/disclosure-types': {
		page: { allow: ADMIN },
		actions: {
			default: {
				allow: ADMIN,
				body: (f) => ({
					code: `authz-${f.stamp}`,
					nameVi: 'Không được thêm',
					nameEn: 'Not allowed',
					basisVi: 'Không',
					basisEn: 'None',
					unitLevel: 'any',
					frequency: 'on_change'
				})
			}
		}
	},

	// analytics: analysts; a wave or a province's reference figures need it in their units
	'/(staff)/analytics': { page: { allow: ANALYSTS } },
	'/(staff)/analytics/reference': {
		// anyone with the role reads; only an analyst whose units cover the province changes
		page: { allow: ANALYSTS },
		actions: {
			official: {
				allow: EDITS_REFERENCE,
				body: () => ({ measureRef: '1:total', year: '2025', value: '50', source: 'thử' })
			},
			deleteOfficial: { allow: EDITS_REFERENCE, body: () => ({ id: '1' }) },
			target: { allow: EDITS_REFERENCE, body: () => ({ measureRef: '1:total', value: '50' }) },
			deleteTarget: { allow: EDITS_REFERENCE, body: () => ({ measureRef: '1:total' }) }
		}
	},
	'/(staff)/analytics/waves/[id]': {
		params: (f) => ({ id: f.analyticsWave }),
		page: { allow: READS_WAVE }
	},
	'/(staff)/analytics/waves/[id]/questions': {
		params: (f) => ({ id: f.analyticsWave }),
		page: { allow: READS_WAVE }
	},
	'/(staff)/analytics/waves/[id]/results.csv': {
		params: (f) => ({ id: f.analyticsWave }),
		endpoints: { GET: { allow: READS_WAVE } }
	},
	'/(staff)/analytics/waves/[id]/microdata.csv': {
		// the analyst outside holds the microdata grant too, for their own province
		params: (f) => ({ id: f.analyticsWave }),
		endpoints: { GET: { allow: EXPORTS_MICRODATA } }
	},

	// fieldwork: analysts and admins. Instruments are shared by every unit (they carry none):
	// all read them, only scope over the whole province changes them. Waves belong to units,
	// and one of province 08 is refused to the analysts outside it or of one commune.
	'/(staff)/fieldwork': {
		page: { allow: FIELDWORK },
		actions: { import: { allow: CHANGES_INSTRUMENT } }
	},
	'/(staff)/fieldwork/instruments/[id]': {
		params: (f) => ({ id: f.instrument }),
		page: { allow: FIELDWORK },
		actions: {
			publish: { allow: CHANGES_INSTRUMENT },
			add: {
				allow: CHANGES_INSTRUMENT,
				body: () => ({ part: 'service_info', code: 'authz_refused', type: 'number' })
			},
			up: { allow: CHANGES_INSTRUMENT, body: (f) => ({ code: f.instrumentQuestion }) },
			down: { allow: CHANGES_INSTRUMENT, body: (f) => ({ code: f.instrumentQuestion }) },
			remove: { allow: CHANGES_INSTRUMENT, body: (f) => ({ code: f.instrumentQuestion }) }
		}
	},
	'/(staff)/fieldwork/instruments/[id]/preview': {
		params: (f) => ({ id: f.instrument }),
		query: '?version=1',
		page: { allow: FIELDWORK }
	},
	'/(staff)/fieldwork/instruments/[id]/export': {
		params: (f) => ({ id: f.instrument }),
		query: '?version=1',
		endpoints: { GET: { allow: FIELDWORK } }
	},
	'/(staff)/fieldwork/instruments/[id]/questions/[code]': {
		params: (f) => ({ id: f.instrument, code: f.instrumentQuestion }),
		page: { allow: FIELDWORK },
		actions: { default: { allow: CHANGES_INSTRUMENT } }
	},
	'/(staff)/fieldwork/waves/new': {
		page: { allow: FIELDWORK },
		actions: {
			default: {
				// a wave for province 08
				allow: RUNS_WAVE_08,
				body: (f) => ({
					slug: `authz-tu-choi-${f.stamp}`,
					titleVi: 'Đợt không được tạo',
					titleEn: 'Refused wave',
					versionId: f.publishedVersion,
					layout: 'paged',
					accessMode: 'open',
					units: '08'
				})
			}
		}
	},
	'/(staff)/fieldwork/waves/[id]': {
		params: (f) => ({ id: f.fieldworkWave }),
		page: { allow: RUNS_WAVE_08 },
		actions: {
			open: { allow: RUNS_WAVE_08 },
			close: { allow: RUNS_WAVE_08 },
			weights: { allow: RUNS_WAVE_08, body: () => ({ weights: '' }) },
			rake: {
				allow: RUNS_WAVE_08,
				body: () => ({
					margins: 'gender, male, 100\ngender, female, 100',
					source: 'Cơ cấu dân số trái phép',
					illustrative: 'on'
				})
			},
			unrake: { allow: RUNS_WAVE_08, body: () => ({ confirm: 'yes' }) }
		}
	},
	'/(staff)/fieldwork/waves/[id]/invitations': {
		params: (f) => ({ id: f.fieldworkWave }),
		endpoints: { POST: { allow: RUNS_WAVE_08, body: () => ({ count: '1' }) } }
	},

	// officials' area: officials, approvers and moderators; each object is its agency's
	'/(staff)/officials': { page: { allow: OFFICIALS } },
	'/(staff)/officials/questions': { page: { allow: OFFICIALS } },
	'/(staff)/officials/questions/[id]': {
		// a case routed to agency A: its staff and the moderators see it, nobody else
		params: (f) => ({ id: f.question }),
		page: { allow: onCase('see') },
		actions: {
			accept: {
				allow: onCase('moderate'),
				body: (f) => ({ agencies: f.agencyA, topic: 'lao-dong', ...publicWording })
			},
			reject: { allow: onCase('moderate'), body: () => ({ reason: 'Từ chối trái phép câu hỏi.' }) },
			info: { allow: onCase('moderate'), body: () => ({ request: 'Yêu cầu bổ sung trái phép.' }) },
			merge: { allow: onCase('moderate'), body: () => ({ target: 'HD-AAAA-AAAA' }) },
			redact: { allow: onCase('moderate'), body: () => publicWording },
			draft: {
				allow: onCase('draft'),
				body: () => ({ body: 'Trả lời thay cơ quan khác, không được phép.' })
			},
			approve: { allow: onCase('approve') },
			return: { allow: onCase('approve'), body: () => ({ returnNote: 'Trả lại trái phép.' }) },
			note: { allow: onCase('see'), body: () => ({ note: 'Ghi chú trái phép.' }) },
			transfer: {
				allow: onCase('see'),
				body: (f) => ({ agency: f.agencyB, why: 'Chuyển trái phép sang cơ quan khác.' })
			}
		}
	},
	'/(staff)/officials/questions/[id]/files/[fid]': {
		params: (f) => ({ id: f.question, fid: f.questionFile }),
		endpoints: { GET: { allow: onCase('see') } }
	},
	'/(staff)/officials/disclosures': { page: { allow: OFFICIALS } },
	'/(staff)/officials/disclosures/compliance': { page: { allow: OFFICIALS } },
	'/(staff)/officials/disclosures/new': {
		// anyone in the area sees the form; only an official of agency A drafts for agency A
		page: { allow: OFFICIALS },
		actions: {
			default: {
				allow: area('officials', (s, f) => disclosureRights(s, agencyA(f)).draft),
				multipart: true,
				body: (f) => ({
					type: 'ket-qua-tuyen-dung',
					unit: f.provinceUnit,
					agency: f.agencyA,
					...versionText
				})
			}
		}
	},
	'/(staff)/officials/disclosures/[id]': {
		// a draft of agency A: its officials write, its approvers approve, nobody else sees it
		params: (f) => ({ id: f.disclosure }),
		page: { allow: SEES_DISCLOSURE },
		actions: {
			save: { allow: onDisclosure('draft'), multipart: true, body: () => versionText },
			removeFile: { allow: onDisclosure('draft'), body: () => ({ file: '1' }) },
			approve: { allow: onDisclosure('approve') },
			return: { allow: onDisclosure('approve') },
			correct: {
				allow: onDisclosure('draft'),
				body: () => ({ changeNote: 'Đính chính trái phép.' })
			},
			withdraw: { allow: onDisclosure('approve'), body: () => ({ reason: 'Gỡ bỏ trái phép.' }) }
		}
	},
	// dossier records of a one-stop shop, and the receipt slips of its counter
	'/(staff)/officials/dossiers': {
		page: { allow: OFFICIALS },
		actions: {
			preview: { allow: IMPORTS_DOSSIERS, multipart: true, body: (f) => ({ agency: f.agencyA }) },
			import: { allow: IMPORTS_DOSSIERS, multipart: true, body: (f) => ({ agency: f.agencyA }) }
		}
	},
	'/(staff)/officials/dossiers/slip': {
		page: { allow: OFFICIALS },
		actions: { default: { allow: PRINTS_SLIPS, body: () => ({ code: 'AUTHZ-0001' }) } }
	},
	// apology letters for late dossiers and answers: the list is every official's (their agencies'
	// only); the letter of agency A is its officials' and approvers', approved by its approvers
	'/(staff)/officials/letters': {
		page: { allow: OFFICIALS },
		actions: {
			draft: {
				allow: HANDLES_LETTER,
				body: (f) => ({ kind: 'dossier', id: f.letterDossier })
			}
		}
	},
	'/(staff)/officials/letters/[id]': {
		params: (f) => ({ id: f.letter }),
		page: { allow: HANDLES_LETTER },
		actions: {
			save: { allow: HANDLES_LETTER, body: () => ({ body: 'Sửa thư trái phép.' }) },
			approve: { allow: APPROVES_LETTER }
		}
	},
	'/(staff)/officials/letters/[id]/print': {
		params: (f) => ({ id: f.letter }),
		page: { allow: HANDLES_LETTER }
	},
	// the monthly delay list of agency A: its officials prepare it (a draft disclosure)
	'/(staff)/officials/delays': {
		page: { allow: OFFICIALS },
		actions: {
			prepare: {
				allow: area('officials', (s, f) => mayPrepareDelayList(s, agencyA(f))),
				body: (f) => ({ agency: f.agencyA, month: '2026-01' })
			}
		}
	},
	'/(staff)/officials/plans': {
		page: { allow: OFFICIALS },
		actions: {
			default: {
				// a plan managed by agency A
				allow: area('officials', (s, f) => mayManagePlan(s, { agency_id: agencyA(f) })),
				body: (f) => ({
					title: 'Kế hoạch không được tạo',
					unit: f.provinceUnit,
					agency: f.agencyA,
					instrument: '1',
					yearFrom: '2026',
					yearTo: '2026',
					frequency: 'yearly',
					weakBelow: '50'
				})
			}
		}
	},
	'/(staff)/officials/plans/[id]': {
		// a draft of agency A: read only by the agencies that carry it (the owner, the tasks'
		// lead agencies); the managing agency changes it
		params: (f) => ({ id: f.plan }),
		page: { allow: READS_PLAN },
		actions: {
			// making the draft public (closed is public too): an approver of agency A
			status: {
				allow: area(
					'officials',
					(s, f) =>
						mayReadPlan(s, plan(f), [agencyA(f)]) && mayChangePlanStatus(s, plan(f), 'closed')
				),
				body: () => ({ status: 'closed' })
			},
			import: { allow: MANAGES_PLAN, multipart: true, body: () => ({}) }
		}
	},
	'/(staff)/officials/plans/[id]/report': {
		params: (f) => ({ id: f.plan }),
		page: { allow: READS_PLAN }
	},
	'/(staff)/officials/plans/[id]/export.csv': {
		params: (f) => ({ id: f.plan }),
		endpoints: { GET: { allow: READS_PLAN } }
	},
	'/(staff)/officials/plans/[id]/tasks/new': {
		params: (f) => ({ id: f.plan }),
		page: { allow: area('officials', (s, f) => mayManagePlan(s, plan(f))) },
		actions: {
			default: {
				allow: MANAGES_PLAN,
				body: (f) => ({ title: 'Nhiệm vụ không được thêm', lead: f.agencyB })
			}
		}
	},
	'/(staff)/officials/plans/[id]/tasks/[tid]': {
		// a task led by agency A in its draft plan: agency A reads it and reports on it
		params: (f) => ({ id: f.plan, tid: f.task }),
		page: { allow: READS_PLAN },
		actions: {
			status: { allow: REPORTS_ON_TASK, body: () => ({ status: 'cancelled' }) },
			report: {
				allow: REPORTS_ON_TASK,
				multipart: true,
				body: () => ({ period: '2026', percent: '100', progress: 'Báo cáo thay cơ quan khác' })
			}
		}
	},
	'/(staff)/officials/plans/[id]/tasks/[tid]/files/[fid]': {
		params: (f) => ({ id: f.plan, tid: f.task, fid: f.taskFile }),
		endpoints: { GET: { allow: READS_PLAN } }
	}
};

/**
 * Server files outside (staff) allowed to call the staff guards (none: staff pages live in the
 * group, where the hook's backstop covers them).
 */
export const GUARDED_OUTSIDE_STAFF: readonly string[] = [];
