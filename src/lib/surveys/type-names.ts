import { m } from '$lib/paraglide/messages';
import type { QuestionType } from './spec';

const names: Record<QuestionType, () => string> = {
	single: m.fw_type_single,
	multiple: m.fw_type_multiple,
	scale5: m.fw_type_scale5,
	yesno: m.fw_type_yesno,
	number: m.fw_type_number,
	text: m.fw_type_text,
	longtext: m.fw_type_longtext,
	commune: m.fw_type_commune
};

/** A question type's name in the language of the page. */
export function typeName(type: QuestionType): string {
	return names[type]();
}
