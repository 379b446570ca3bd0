import { describe, expect, it } from 'vitest';
import { isEmail, isPhone } from '$lib/contacts';
import { readDossierCsv } from '$lib/dossiers/records';
import { readDossierJson } from '$lib/server/dossiers/api';

const csv = (text: string) => new TextEncoder().encode(text);

/** One record for POST /api/dossiers, with the contact given. */
const jsonRecord = (contact: { email: string | null; phone: string | null }) => ({
	dossiers: [
		{
			code: 'J-1',
			procedure: 'Khai sinh',
			field: 'Hộ tịch',
			received: '2026-11-02',
			channel: 'online',
			...contact
		}
	]
});

describe("an applicant's contact in a dossier export", () => {
	it('is read from the English headers and the JSON endpoint, trimmed, and optional', () => {
		const read = readDossierCsv(
			csv(
				'code,procedure,field,received,channel,email,phone\r\n' +
					'A-1,Khai sinh,Hộ tịch,2026-11-02,online, an@example.vn ,+84 912 345 678\r\n' +
					'A-2,Khai tử,Hộ tịch,2026-11-02,offline,,\r\n'
			)
		);
		expect('records' in read && read.records.map((r) => [r.email, r.phone])).toEqual([
			['an@example.vn', '+84 912 345 678'],
			[null, null]
		]);
		const json = readDossierJson(jsonRecord({ email: null, phone: '0219.3812.345' }));
		expect('records' in json && json.records[0]).toMatchObject({
			email: null,
			phone: '0219.3812.345'
		});
	});

	it('is refused with its line when it is not an address or a number', () => {
		const json = readDossierJson(jsonRecord({ email: 'an@', phone: '12' }));
		expect(json).toEqual({
			problems: [
				{ line: 1, code: 'email_invalid', value: 'an@' },
				{ line: 1, code: 'phone_invalid', value: '12' }
			]
		});
	});

	it('uses the same checks as the question form', () => {
		expect(isEmail('le.hoi@example.vn')).toBe(true);
		expect(isEmail('le hoi@example.vn')).toBe(false);
		expect(isEmail(`${'a'.repeat(196)}@x.vn`)).toBe(false);
		expect(isPhone('(0219) 3812 345')).toBe(true);
		expect(isPhone('0912abc345')).toBe(false);
	});
});
