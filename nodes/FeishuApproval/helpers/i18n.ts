/**
 * The API takes every displayed text as an `@i18n@` key with its text in `i18n_resources` [doc].
 * The form takes plain text; this writes the keys and the one locale's resources. Pure.
 */

/** The 16 locales the API accepts [doc]. */
export const LOCALES = [
	'de-DE',
	'en-US',
	'es-ES',
	'fr-FR',
	'id-ID',
	'it-IT',
	'ja-JP',
	'ko-KR',
	'ms-MY',
	'pt-BR',
	'ru-RU',
	'th-TH',
	'vi-VN',
	'zh-CN',
	'zh-HK',
	'zh-TW',
] as const;

export const I18N_PREFIX = '@i18n@';

export interface I18nResource {
	locale: string;
	is_default: boolean;
	texts: Array<{ key: string; value: string }>;
}

export class I18nTexts {
	private readonly texts = new Map<string, string>();

	/** `@i18n@<name>` holding `text`; `name` is unique per body (e.g. `task_3_title`). */
	key(name: string, text: string): string {
		const key = `${I18N_PREFIX}${name}`;
		this.texts.set(key, text);
		return key;
	}

	/** The key of a text that may be empty: no text, no key (the field is left out). */
	optionalKey(name: string, text: string | undefined): string | undefined {
		return text ? this.key(name, text) : undefined;
	}

	/** One locale, marked default: the default locale must hold every key [doc]. */
	resources(locale: string): I18nResource[] {
		return [{ locale, is_default: true, texts: [...this.texts].map(([key, value]) => ({ key, value })) }];
	}
}
