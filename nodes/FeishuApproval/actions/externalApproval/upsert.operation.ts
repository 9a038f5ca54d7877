import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import type { CallbackSecrets } from '../../helpers/callbackCredential';
import { callbackSecrets } from '../../helpers/callbackCredential';
import { I18nTexts } from '../../helpers/i18n';
import { parseIdList } from '../../helpers/idList';
import { FieldError } from '../../helpers/fieldError';
import { checkDefinitionBody, problemOf } from '../../helpers/writeBodyRules';
import type { UserIdType } from '../../transport';
import { httpsProblem, maskSecrets, upsertExternalApproval } from '../../transport';
import { jsonParameter, perItem } from '../perItem';
import { dataModeParameters, fieldsMode, localeOption, userIdTypeOption } from '../sharedOptions';
import { CALLBACK_CREDENTIAL } from '../../helpers/nodeTypes';
import { optionsCollection } from '../../helpers/parameters';

const JSON_EXAMPLE = JSON.stringify(
	{
		approval_name: '@i18n@approval_name',
		approval_code: 'purchase_request',
		group_code: 'procurement',
		group_name: '@i18n@group_name',
		external: {
			create_link_pc: 'https://erp.example.com/purchase/new',
			support_pc: true,
			support_mobile: true,
		},
		viewers: [{ viewer_type: 'TENANT' }],
		i18n_resources: [
			{
				locale: 'zh-CN',
				is_default: true,
				texts: [
					{ key: '@i18n@approval_name', value: '采购申请' },
					{ key: '@i18n@group_name', value: '采购' },
				],
			},
		],
	},
	null,
	2,
);

const properties: INodeProperties[] = [
	...dataModeParameters({
		formWrites: 'the i18n keys and texts',
		path: '/open-apis/approval/v4/external_approvals',
		example: JSON_EXAMPLE,
		approvalCode: 'Your code for this approval (up to 128 characters). An existing code is updated, a new one created.',
	}),
	{
		displayName: 'Approval Name',
		name: 'approvalName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Purchase request',
		description: 'Name shown in the Feishu Approval Center',
		displayOptions: fieldsMode,
	},
	{
		displayName: 'Group Code',
		name: 'groupCode',
		type: 'string',
		default: '',
		placeholder: 'procurement',
		description: 'Group the approval is listed under; an unknown group is created (then Group Name is needed)',
		displayOptions: fieldsMode,
	},
	{
		displayName: 'Group Name',
		name: 'groupName',
		type: 'string',
		default: '',
		placeholder: 'Procurement',
		description: 'Name of the group, needed when the group is new',
		displayOptions: fieldsMode,
	},
	{
		displayName: 'Create Link (PC)',
		name: 'pcLink',
		type: 'string',
		default: '',
		placeholder: 'https://erp.example.com/purchase/new',
		description: 'Where "create" leads on desktop; empty hides creating on desktop',
		displayOptions: fieldsMode,
	},
	{
		displayName: 'Create Link (Mobile)',
		name: 'mobileLink',
		type: 'string',
		default: '',
		description: 'Where "create" leads on mobile; empty hides creating on mobile',
		displayOptions: fieldsMode,
	},
	{
		displayName: 'Action Callback URL',
		name: 'actionCallbackUrl',
		type: 'string',
		default: '',
		placeholder: 'https://n8n.example.com/webhook/…',
		description:
			'Feishu POSTs here when an approver presses Approve or Reject in Feishu (quick approval). Must be https:// (http:// only for loopback: 127.0.0.0/8, ::1, localhost), since every callback carries the callback token.',
		displayOptions: fieldsMode,
	},
	{
		displayName:
			'The definition\'s callback token and key (action_callback_token, action_callback_key) come from the Feishu Approval Callback credential above, the one the Action Trigger checks callbacks with. Workflows saved with the former Action Callback Token / Key parameters still send those while no callback credential is selected (deprecated: they sit in the workflow\'s JSON; select a credential instead).',
		name: 'callbackNotice',
		type: 'notice',
		default: '',
	},
	// Deprecated: kept so workflows saved with them still send them when no callback credential is
	// selected. Hidden, so new workflows put no secret in their JSON.
	{
		displayName: 'Action Callback Token (Deprecated)',
		name: 'actionCallbackToken',
		type: 'hidden',
		default: '',
		description: 'Deprecated: the Feishu Approval Callback credential\'s Callback Token replaces it',
		displayOptions: fieldsMode,
	},
	{
		displayName: 'Action Callback Key (Deprecated)',
		name: 'actionCallbackKey',
		type: 'hidden',
		default: '',
		description: 'Deprecated: the Feishu Approval Callback credential\'s Encrypt Key replaces it',
		displayOptions: fieldsMode,
	},
	{
		displayName: 'Viewers',
		name: 'viewers',
		type: 'options',
		options: [
			{ name: 'Everyone in the Company', value: 'TENANT', description: 'Everyone in the tenant can see the approval' },
			{ name: 'No One', value: 'NONE', description: 'Nobody sees it in the Approval Center' },
			{ name: 'Selected Users', value: 'USERS', description: 'Only the users listed below' },
		],
		default: 'TENANT',
		description: 'Who sees the approval in the Approval Center',
		displayOptions: fieldsMode,
	},
	{
		displayName: 'Viewer User IDs',
		name: 'viewerUserIds',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		required: true,
		placeholder: '112321, 5d9bdxxx',
		description: 'Up to 200 user IDs, separated by commas, spaces or new lines, or a list from an expression',
		displayOptions: { show: { dataMode: ['fields'], viewers: ['USERS'] } },
	},
	{
		displayName: 'Managers',
		name: 'managers',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: '112321',
		description: 'User IDs of up to 200 process admins, separated by commas, spaces or new lines',
		displayOptions: fieldsMode,
	},
	optionsCollection([
		{
			displayName: 'Description',
			name: 'description',
			type: 'string',
			default: '',
			description: 'Description of the approval (Fields mode)',
		},
		localeOption,
		userIdTypeOption,
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['externalApproval'], operation: ['upsert'] } }, properties);

interface Request {
	body: IDataObject;
	userIdType: UserIdType;
}

/** The callback credential, when the node has one selected; undefined otherwise (it is optional). */
async function callbackCredential(ctx: IExecuteFunctions): Promise<CallbackSecrets | undefined> {
	if (!ctx.getNode().credentials?.feishuApprovalCallbackApi) return undefined;
	return callbackSecrets(await ctx.getCredentials(CALLBACK_CREDENTIAL));
}

/**
 * The credential's token and key go into `external`, replacing what the body or the deprecated
 * parameters hold: the trigger checks callbacks against the credential, so the definition must
 * carry exactly its values (no key in the credential: no key on the definition).
 */
function applyCallbackCredential(body: IDataObject, secrets: CallbackSecrets): void {
	const external = (body.external ?? {}) as IDataObject;
	if (secrets.callbackToken) external.action_callback_token = secrets.callbackToken;
	if (secrets.encryptKey) external.action_callback_key = secrets.encryptKey;
	else delete external.action_callback_key;
	body.external = external;
}

function read(this: IExecuteFunctions, i: number, callback: CallbackSecrets | undefined): Request {
	const dataMode = this.getNodeParameter('dataMode', i, 'fields') as string;
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const userIdType = (options.userIdType as UserIdType | undefined) ?? 'user_id';
	let body: IDataObject;
	if (dataMode === 'json') body = jsonParameter(this, i, this.getNodeParameter('json', i), 'JSON Body');
	else body = fieldsBody.call(this, i, options, !callback);
	if (callback) applyCallbackCredential(body, callback);
	const problem = problemOf(checkDefinitionBody, body) ?? callbackUrlProblem(body);
	if (problem) {
		const where = dataMode === 'json' ? `JSON Body: ${problem.field}` : label(problem.field);
		throw new NodeOperationError(this.getNode(), `${where} ${problem.problem}`, { itemIndex: i });
	}
	return { body, userIdType };
}

/** Feishu POSTs every callback, token inside, to this URL: https, or loopback for tests. */
function callbackUrlProblem(body: IDataObject): { field: string; problem: string } | undefined {
	const raw = (body.external as IDataObject | undefined)?.action_callback_url;
	if (typeof raw !== 'string' || !raw) return undefined;
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		return { field: 'external.action_callback_url', problem: `"${raw}" is not a URL` };
	}
	const problem = httpsProblem(url);
	return problem ? { field: 'external.action_callback_url', problem } : undefined;
}

const LABELS: Record<string, string> = {
	approval_code: 'Approval Code',
	approval_name: 'Approval Name',
	group_name: 'Group Name',
	'external.support_pc': 'Create Link (PC) / Create Link (Mobile)',
	'external.action_callback_url': 'Action Callback URL',
	viewers: 'Viewer User IDs',
	managers: 'Managers',
};

function label(field: string): string {
	const base = field.replace(/\[\d+\].*$/, '');
	return LABELS[field] ?? LABELS[base] ?? field;
}

function fieldsBody(this: IExecuteFunctions, i: number, options: IDataObject, deprecatedSecrets: boolean): IDataObject {
	const str = (name: string) => String(this.getNodeParameter(name, i, '') ?? '').trim();
	const texts = new I18nTexts();
	const pcLink = str('pcLink');
	const mobileLink = str('mobileLink');
	const viewers = this.getNodeParameter('viewers', i, 'TENANT') as string;
	const external: IDataObject = {
		// Where a create link is given the platform shows it; with none, both show the instances
		// (both false is refused [doc]).
		support_pc: !!pcLink || !mobileLink,
		support_mobile: !!mobileLink || !pcLink,
	};
	if (pcLink) external.create_link_pc = pcLink;
	if (mobileLink) external.create_link_mobile = mobileLink;
	const callbackFields = [['actionCallbackUrl', 'action_callback_url']];
	// The deprecated parameters, read only when no callback credential is selected.
	if (deprecatedSecrets) callbackFields.push(['actionCallbackToken', 'action_callback_token'], ['actionCallbackKey', 'action_callback_key']);
	for (const [param, field] of callbackFields) {
		const value = str(param);
		if (value) external[field] = value;
	}
	if (!str('approvalName')) throw new FieldError('Approval Name', 'is required');
	const body: IDataObject = {
		approval_name: texts.key('approval_name', str('approvalName')),
		approval_code: str('approvalCode'),
	};
	const groupCode = str('groupCode');
	if (groupCode) body.group_code = groupCode;
	const groupName = texts.optionalKey('group_name', str('groupName'));
	if (groupName) body.group_name = groupName;
	const descriptionKey = texts.optionalKey('description', String(options.description ?? '').trim());
	if (descriptionKey) body.description = descriptionKey;
	body.external = external;
	if (viewers === 'USERS') {
		const ids = parseIdList(this.getNodeParameter('viewerUserIds', i, ''), 'Viewer User IDs');
		if (!ids.length) throw new FieldError('Viewer User IDs', 'is empty: enter at least one user ID, or choose another Viewers option');
		body.viewers = ids.map((id) => ({ viewer_type: 'USER', viewer_user_id: id }));
	} else body.viewers = [{ viewer_type: viewers }];
	const managers = parseIdList(this.getNodeParameter('managers', i, ''), 'Managers');
	if (managers.length) body.managers = managers;
	body.i18n_resources = texts.resources(String(options.locale ?? 'zh-CN')) as unknown as IDataObject[];
	return body;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const callback = await callbackCredential(this);
	return await perItem(this, items, (i) => read.call(this, i, callback), async (app, request: Request) => {
		const data = await upsertExternalApproval(app, request.body as JsonObject, request.userIdType);
		// The code to use from then on: the answer's [doc https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/approval-v4/external_approval/create]; the one sent if the answer has none.
		return maskSecrets({ ...data, approval_code: (data.approval_code as string | undefined) || (request.body.approval_code as string) });
	});
}
