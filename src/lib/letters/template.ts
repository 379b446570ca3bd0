import type { IsoDate } from '$lib/deadlines/working-days';
import { daysLate } from '$lib/dossiers/lateness';

/**
 * The apology letter (thư xin lỗi) an agency sends for a late dossier or a late answer, drafted
 * from the facts in the administrative form of Decree 30/2020 (Quốc hiệu, tiêu ngữ, place and
 * date, title, addressee, body, signature). The letter is in Vietnamese: it is an administrative
 * document. The blanks the official must fill are written in square brackets; a letter with one
 * left is not approved. Pure.
 */
export const NATIONAL_TITLE = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
export const NATIONAL_MOTTO = 'Độc lập - Tự do - Hạnh phúc';
export const LETTER_TITLE = 'THƯ XIN LỖI';

export const BLANK_REASON = '[lý do chậm trễ]';
export const BLANK_NEW_DATE = '[ngày hẹn trả kết quả mới]';
export const DEFAULT_SIGNER_TITLE = 'THỦ TRƯỞNG CƠ QUAN';

export type DossierFacts = {
	kind: 'dossier';
	agency: string;
	procedure: string;
	field: string;
	receivedOn: IsoDate;
	dueOn: IsoDate;
	completedOn: IsoDate | null;
};

export type AnswerFacts = {
	kind: 'question';
	agency: string;
	/** the case code the asker holds (HD-…), and the title they gave */
	code: string;
	title: string;
	receivedOn: IsoDate;
	dueOn: IsoDate;
	answeredOn: IsoDate | null;
};

export type LetterFacts = DossierFacts | AnswerFacts;

/** dd/mm/yyyy, as dates are written in the body of an administrative letter. */
export function dmy(day: IsoDate): string {
	const [y, m, d] = day.split('-');
	return `${d}/${m}/${y}`;
}

/** The subject line under the title. */
export function letterSubject(kind: LetterFacts['kind']): string {
	return kind === 'dossier'
		? 'Về việc chậm trả kết quả giải quyết hồ sơ thủ tục hành chính'
		: 'Về việc chậm trả lời phản ánh, kiến nghị';
}

/** The body of the letter, paragraph by paragraph (blank lines between them). */
export function draftBody(f: LetterFacts, today: IsoDate): string {
	const done = f.kind === 'dossier' ? f.completedOn : f.answeredOn;
	const late = daysLate(f.dueOn, done, today);
	const paragraphs =
		f.kind === 'dossier'
			? [
					`Ngày ${dmy(f.receivedOn)}, ${f.agency} tiếp nhận hồ sơ của Ông/Bà về thủ tục “${f.procedure}” ` +
						`(lĩnh vực ${f.field}), hẹn trả kết quả ngày ${dmy(f.dueOn)}.`,
					done
						? `Hồ sơ đã được giải quyết xong ngày ${dmy(done)}, chậm ${late} ngày so với ngày hẹn trả kết quả.`
						: `Đến nay hồ sơ chưa được giải quyết xong, đã quá hạn ${late} ngày so với ngày hẹn trả kết quả.`
				]
			: [
					`Ngày ${dmy(f.receivedOn)}, ${f.agency} nhận phản ánh, kiến nghị mã ${f.code} của Ông/Bà ` +
						`(“${f.title}”), hạn trả lời ngày ${dmy(f.dueOn)}.`,
					done
						? `Ngày ${dmy(done)} cơ quan mới trả lời, chậm ${late} ngày so với thời hạn.`
						: `Đến nay cơ quan chưa trả lời, đã quá hạn ${late} ngày.`
				];
	paragraphs.push(`Lý do chậm trễ: ${BLANK_REASON}.`);
	if (!done) {
		paragraphs.push(
			f.kind === 'dossier'
				? `${f.agency} hẹn trả kết quả cho Ông/Bà vào ngày ${BLANK_NEW_DATE}.`
				: `${f.agency} sẽ trả lời Ông/Bà chậm nhất vào ngày ${BLANK_NEW_DATE}.`
		);
	}
	paragraphs.push(
		`${f.agency} thành thật xin lỗi Ông/Bà vì sự chậm trễ này và mong Ông/Bà thông cảm. ` +
			'Cơ quan sẽ rút kinh nghiệm, chấn chỉnh để việc giải quyết bảo đảm đúng thời hạn theo quy định.',
		'Trân trọng./.'
	);
	return paragraphs.join('\n\n');
}

/** The blanks still left in a text: `[...]` the template wrote, or the official did. */
export function blanksIn(text: string): string[] {
	return [...text.matchAll(/\[[^\]\n]*\]/g)].map((b) => b[0]);
}

/** The letter's paragraphs, for printing. */
export const paragraphsOf = (body: string): string[] =>
	body
		.split(/\n\s*\n/)
		.map((p) => p.trim())
		.filter(Boolean);

/** The place as written before the date: the unit's name without its level ("Xã Vị Xuyên" → "Vị Xuyên"). */
export function placeOf(unitName: string): string {
	return unitName.replace(/^(tỉnh|thành phố|xã|phường|đặc khu|thị trấn|huyện|quận)\s+/i, '').trim();
}

/** The number line left for the records office, and the distribution list at the foot. */
export const LETTER_NUMBER = 'Số: …/TXL';
export const RECIPIENTS = ['Nơi nhận:', '- Như trên;', '- Lưu: VT.'];
/** The date line before approval, filled in when the letter is approved. */
export const UNDATED = 'ngày … tháng … năm …';
/** The addressee's line when the official left it to be written by hand. */
export const ADDRESSEE_BLANK = 'Ông/Bà ………………………………';
