import type { INodeProperties } from 'n8n-workflow';

import { LOCALES } from '../helpers/i18n';

/** The locale of the texts the Fields mode writes; `zh-CN` by default, marked default [doc]. */
export const localeOption: INodeProperties = {
	displayName: 'Locale',
	name: 'locale',
	type: 'options',
	options: LOCALES.map((locale) => ({ name: locale, value: locale })),
	default: 'zh-CN',
	description: 'Language of the texts you enter (Fields mode); Feishu shows them in every language as this default',
};

/** Which kind of user ID the definition's viewers and managers are [doc https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/approval-v4/external_approval/create]. */
export const userIdTypeOption: INodeProperties = {
	displayName: 'User ID Type',
	name: 'userIdType',
	type: 'options',
	options: [
		{ name: 'Open ID', value: 'open_id' },
		{ name: 'Union ID', value: 'union_id' },
		{ name: 'User ID', value: 'user_id' },
	],
	default: 'user_id',
	description:
		"What kind of IDs the viewer and manager IDs are. User ID needs the scope contact:user.employee_id:readonly; Feishu's own default is Open ID.",
};
