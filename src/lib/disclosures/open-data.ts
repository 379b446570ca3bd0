import { z } from 'zod';

/**
 * The open-data shape of disclosures (documented in the README; served as JSON Schema at
 * /api/disclosures/schema.json). One schema: the listing's items are the item documents
 * without their versions.
 */
const file = z.object({
	name: z.string(),
	url: z.url(),
	sha256: z.string().regex(/^[0-9a-f]{64}$/),
	bytes: z.number().int().nonnegative(),
	mediaType: z.string(),
	table: z.object({ csv: z.url(), json: z.url() }).nullable()
});

const version = z.object({
	number: z.number().int().positive(),
	title: z.string(),
	summary: z.string(),
	bodyMarkdown: z.string(),
	effectiveOn: z.iso.date(),
	publishedAt: z.iso.datetime({ offset: true }),
	changeNote: z.string().nullable(),
	files: z.array(file)
});

const item = z.object({
	id: z.number().int().positive(),
	url: z.url(),
	type: z.object({ code: z.string(), name: z.string(), nameEn: z.string() }),
	unit: z.object({ id: z.number().int(), name: z.string() }),
	agency: z.object({ id: z.number().int(), name: z.string(), nameEn: z.string() }),
	period: z
		.string()
		.regex(/^\d{4}(-Q[1-4])?$/)
		.nullable(),
	status: z.enum(['published', 'withdrawn']),
	withdrawnReason: z.string().nullable(),
	firstPublishedAt: z.iso.datetime({ offset: true }),
	title: z.string(),
	summary: z.string(),
	version: z.number().int().positive()
});

export const disclosureListItemSchema = item;
export const disclosureItemSchema = item.extend({ versions: z.array(version) });

export const disclosureListSchema = z.object({
	generatedAt: z.iso.datetime({ offset: true }),
	total: z.number().int().nonnegative(),
	page: z.number().int().positive(),
	pageSize: z.number().int().positive(),
	next: z.url().nullable(),
	items: z.array(item)
});

export type DisclosureItemDoc = z.infer<typeof disclosureItemSchema>;
export type DisclosureListDoc = z.infer<typeof disclosureListSchema>;

export const openDataJsonSchema = () => ({
	$schema: 'https://json-schema.org/draft/2020-12/schema',
	title: 'Civic Voice disclosures',
	$defs: {
		list: z.toJSONSchema(disclosureListSchema, { target: 'draft-2020-12' }),
		item: z.toJSONSchema(disclosureItemSchema, { target: 'draft-2020-12' })
	}
});
