import type { INodeProperties } from 'n8n-workflow';

import { LOCALES } from '../helpers/i18n';
import { approvalCodeParameter } from '../helpers/parameters';

/** Shows a parameter of the two write operations only in their form (Data Mode "Fields"). */
export const fieldsMode = { show: { dataMode: ['fields'] } };

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

/**
 * Data Mode and JSON Body, for the two write operations: a form for no-code builders, or the API's
 * own body for everything the form does not cover. Each says what its form fills in and its path.
 * The form starts with the Approval Code, which each describes in its own words.
 */
export function dataModeParameters(fields: { formWrites: string; path: string; example: string; approvalCode: string }): INodeProperties[] {
	return [
		{
			displayName: 'Data Mode',
			name: 'dataMode',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Fields', value: 'fields', description: `Fill in a form; the node writes ${fields.formWrites}` },
				{ name: 'JSON', value: 'json', description: "The API's request body, sent as given after checking it" },
			],
			default: 'fields',
		},
		// The default is the caller's example body, which the rule cannot see through a variable.
		// eslint-disable-next-line n8n-nodes-base/node-param-default-missing
		{
			displayName: 'JSON Body',
			name: 'json',
			type: 'json',
			default: fields.example,
			required: true,
			description: `Body of POST ${fields.path}, with @i18n@ keys and their i18n_resources`,
			displayOptions: { show: { dataMode: ['json'] } },
		},
		{ ...approvalCodeParameter(fields.approvalCode), displayOptions: fieldsMode },
	];
}
