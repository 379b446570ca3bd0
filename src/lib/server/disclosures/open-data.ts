import {
	disclosureListItemSchema,
	type DisclosureItemDoc,
	type DisclosureListDoc
} from '$lib/disclosures/open-data';
import type { Db } from '../db';
import { listDisclosures, PAGE_SIZE, publicDisclosure, type DisclosureFilter } from './public';

const iso = (d: Date | string | null) => new Date(d ?? 0).toISOString();

export async function openDataList(
	db: Db,
	origin: string,
	filter: DisclosureFilter
): Promise<DisclosureListDoc> {
	const { rows, total } = await listDisclosures(db, filter);
	const pages = Math.ceil(total / PAGE_SIZE);
	return {
		generatedAt: new Date().toISOString(),
		total,
		page: filter.page,
		pageSize: PAGE_SIZE,
		next: filter.page < pages ? `${origin}/api/disclosures?page=${filter.page + 1}` : null,
		items: await Promise.all(
			rows.map(async (r) => {
				// the listing's items are the item documents without their versions (zod strips them)
				return disclosureListItemSchema.parse(await openDataItem(db, origin, r.id));
			})
		)
	};
}

export async function openDataItem(
	db: Db,
	origin: string,
	id: number
): Promise<DisclosureItemDoc | undefined> {
	const d = await publicDisclosure(db, id);
	if (!d || d.versions.length === 0) return undefined;
	const current = d.versions[0]!;
	const base = `${origin}/disclosures/${d.id}`;
	return {
		id: d.id,
		url: base,
		type: { code: d.typeCode, name: d.typeVi, nameEn: d.typeEn },
		unit: { id: d.unitId, name: d.unit },
		agency: { id: d.agencyId, name: d.agencyVi, nameEn: d.agencyEn },
		period: d.period,
		status: d.status as 'published' | 'withdrawn',
		withdrawnReason: d.withdrawnReason,
		firstPublishedAt: iso(d.publishedAt),
		title: current.title,
		summary: current.summary,
		version: current.number,
		versions: d.versions.map((v) => ({
			number: v.number,
			title: v.title,
			summary: v.summary,
			bodyMarkdown: v.bodyMd,
			effectiveOn: v.effectiveOn,
			publishedAt: iso(v.publishedAt),
			changeNote: v.changeNote,
			files: v.files.map((f) => ({
				name: f.name,
				url: `${base}/files/${f.id}`,
				sha256: f.sha256,
				bytes: f.size,
				mediaType: f.mime,
				table: f.table
					? {
							csv: `${base}/tables/${f.id}?format=csv`,
							json: `${base}/tables/${f.id}?format=json`
						}
					: null
			}))
		}))
	};
}
