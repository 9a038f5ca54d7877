import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { I18nTexts } from '../../helpers/i18n';
import { FieldError } from '../../helpers/fieldError';
import { checkInstanceBody, problemOf } from '../../helpers/writeBodyRules';
import { taskStatusOptions } from '../../helpers/taskStatus';
import { optionalEpochMs } from '../../helpers/time';
import type { SyncAnswer } from '../../transport';
import { maskSecrets, syncExternalInstance } from '../../transport';
import { jsonParameter, perItem } from '../perItem';
import { dataModeParameters, fieldsMode, localeOption } from '../sharedOptions';
import { optionsCollection } from '../../helpers/parameters';

const instanceStatusOptions = [
	{ name: 'Approved (已通过)', value: 'APPROVED', description: 'The approval passed' },
	{ name: 'Canceled (已撤回)', value: 'CANCELED', description: 'The initiator withdrew it' },
	{ name: 'Deleted (已删除)', value: 'DELETED', description: 'Deleted' },
	{ name: 'Hidden (不展示)', value: 'HIDDEN', description: 'Not shown in the Approval Center' },
	{ name: 'Pending (审批中)', value: 'PENDING', description: 'Waiting for approvers' },
	{ name: 'Rejected (已拒绝)', value: 'REJECTED', description: 'An approver rejected it' },
	{ name: 'Terminated (已终止)', value: 'TERMINATED', description: 'Stopped before the end' },
];

const taskStatuses = taskStatusOptions({
	PENDING: 'Waiting for the approver',
	APPROVED: 'The approver approved',
	REJECTED: 'The approver rejected',
	TRANSFERRED: 'Handed to someone else',
	DONE: 'Passed without the approver acting; the approver does not see it',
});

const JSON_EXAMPLE = JSON.stringify(
	{
		approval_code: 'purchase_request',
		instance_id: 'PR-2026-0001',
		status: 'PENDING',
		links: { pc_link: 'https://erp.example.com/purchase/PR-2026-0001' },
		title: '@i18n@title',
		// Parsed from text: the option-name lint rule would title-case a literal { name: … } here.
		form: JSON.parse('[{"name": "@i18n@form_0_name", "value": "@i18n@form_0_value"}]') as unknown,
		user_id: 'initiator_user_id',
		start_time: '1764579600000',
		end_time: '0',
		update_time: '1764579600000',
		update_mode: 'REPLACE',
		task_list: [
			{
				task_id: 'PR-2026-0001-1',
				user_id: 'approver_user_id',
				status: 'PENDING',
				links: { pc_link: 'https://erp.example.com/purchase/PR-2026-0001' },
				create_time: '1764579600000',
				end_time: '0',
				update_time: '1764579600000',
			},
		],
		i18n_resources: [
			{
				locale: 'zh-CN',
				is_default: true,
				texts: [
					{ key: '@i18n@title', value: '采购申请 PR-2026-0001' },
					{ key: '@i18n@form_0_name', value: '金额' },
					{ key: '@i18n@form_0_value', value: '1200 CNY' },
				],
			},
		],
	},
	null,
	2,
);

const timeHint = 'ISO-8601 text, epoch milliseconds or a date';

const properties: INodeProperties[] = [
	...dataModeParameters({
		formWrites: 'the i18n keys, texts and times',
		path: '/open-apis/approval/v4/external_instances',
		example: JSON_EXAMPLE,
		approvalCode: 'Code of the third-party approval definition this instance belongs to',
	}),
	{
		displayName: 'Instance ID',
		name: 'instanceId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'PR-2026-0001',
		description: "Your system's ID of this approval; the same ID updates the same instance",
		displayOptions: fieldsMode,
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: instanceStatusOptions,
		default: 'PENDING',
		description: 'Status of the whole approval instance',
		displayOptions: fieldsMode,
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		placeholder: 'Purchase request PR-2026-0001',
		description: 'Title shown in the Approval Center; empty shows the approval name',
		displayOptions: fieldsMode,
	},
	{
		displayName: 'Initiator User ID',
		name: 'initiatorUserId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '5d9bdxxx',
		description: 'User ID (user_id) of the person who submitted the request',
		displayOptions: fieldsMode,
	},
	{
		displayName: 'PC Link',
		name: 'pcLink',
		type: 'string',
		default: '',
		placeholder: 'https://erp.example.com/purchase/PR-2026-0001',
		description: 'Where the instance opens on desktop. Give this or Mobile Link (or both).',
		displayOptions: fieldsMode,
	},
	{
		displayName: 'Mobile Link',
		name: 'mobileLink',
		type: 'string',
		default: '',
		description: 'Where the instance opens on mobile. Give this or PC Link (or both).',
		displayOptions: fieldsMode,
	},
	{
		displayName: 'Form',
		name: 'form',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add form field',
		default: {},
		description: 'Fields shown with the instance (the first two or three are visible in lists); names and values together at most 2,048 characters',
		displayOptions: fieldsMode,
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'Amount' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '', placeholder: '1200 CNY' },
				],
			},
		],
	},
	{
		displayName: 'Tasks',
		name: 'tasks',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add task',
		default: {},
		description: 'One task per approver (at most 300). In Update mode, tasks not listed are kept.',
		displayOptions: fieldsMode,
		options: [
			{
				displayName: 'Task',
				name: 'task',
				values: [
					{ displayName: 'Create Time', name: 'createTime', type: 'dateTime', default: '', description: `${timeHint}; empty uses the update time` },
					{ displayName: 'End Time', name: 'endTime', type: 'dateTime', default: '', description: `${timeHint}; empty: none while Pending, else the update time` },
					{ displayName: 'Mobile Link', name: 'mobileLink', type: 'string', default: '', description: "Where the task opens on mobile; empty uses the instance's" },
					{ displayName: 'PC Link', name: 'pcLink', type: 'string', default: '', description: "Where the task opens on desktop; empty uses the instance's" },
					{ displayName: 'Status', name: 'status', type: 'options', options: taskStatuses, default: 'PENDING', description: 'Status of this task' },
					{ displayName: 'Task ID', name: 'taskId', type: 'string', default: '', description: 'Your ID of this task; must differ from the instance ID and the other tasks' },
					{ displayName: 'Title', name: 'title', type: 'string', default: '', description: 'Task title; empty shows none' },
					{ displayName: 'Update Time', name: 'updateTime', type: 'dateTime', default: '', description: `${timeHint}; empty uses the instance's update time` },
					{ displayName: 'User ID', name: 'userId', type: 'string', default: '', description: 'User ID (user_id) of the approver' },
				],
			},
		],
	},
	{
		displayName: 'Update Mode',
		name: 'updateMode',
		type: 'options',
		options: [
			{
				name: 'Replace',
				value: 'REPLACE',
				description: 'This becomes the whole instance: tasks not listed are deleted. No version check.',
			},
			{
				name: 'Update',
				value: 'UPDATE',
				description: 'Change only what is newer: applies only where the update time is later than the one Feishu holds; tasks not listed are kept',
			},
		],
		default: 'REPLACE',
		displayOptions: fieldsMode,
	},
	optionsCollection(
		[
			{
				displayName: 'End Time',
				name: 'endTime',
				type: 'dateTime',
				default: '',
				description: `When the approval ended (${timeHint}). Default: none while Pending, else the update time.`,
			},
			localeOption,
			{
				displayName: 'Start Time',
				name: 'startTime',
				type: 'dateTime',
				default: '',
				description: `When the approval was submitted (${timeHint}). Default: the update time, so set it when updating.`,
			},
			{
				displayName: 'Update Time',
				name: 'updateTime',
				type: 'dateTime',
				default: '',
				description: `Version of this change (${timeHint}). Default: now. Feishu applies an Update only when it is later than the one it holds.`,
			},
		],
		fieldsMode,
	),
];

export const description = updateDisplayOptions({ show: { resource: ['externalInstance'], operation: ['upsert'] } }, properties);

const TOP_LABELS: Record<string, string> = {
	approval_code: 'Approval Code',
	instance_id: 'Instance ID',
	status: 'Status',
	links: 'PC Link / Mobile Link',
	title: 'Title',
	form: 'Form',
	'initiator.user_id': 'Initiator User ID',
	start_time: 'Options > Start Time',
	end_time: 'Options > End Time',
	update_time: 'Options > Update Time',
	task_list: 'Tasks',
};
const TASK_LABELS: Record<string, string> = {
	task_id: 'Task ID',
	user_id: 'User ID',
	status: 'Status',
	title: 'Title',
	links: 'PC Link / Mobile Link',
	create_time: 'Create Time',
	end_time: 'End Time',
	update_time: 'Update Time',
};

/** An API field path in the form's words, e.g. `task_list[1].status` -> "Tasks > Task 2 > Status". */
function formLabel(field: string): string {
	const task = /^task_list\[(\d+)\]\.?(.*)$/.exec(field);
	if (task) return `Tasks > Task ${Number(task[1]) + 1}${task[2] ? ` > ${TASK_LABELS[task[2]] ?? task[2]}` : ''}`;
	const form = /^form\[(\d+)\]\.(name|value)$/.exec(field);
	if (form) return `Form > Field ${Number(form[1]) + 1} > ${form[2] === 'name' ? 'Name' : 'Value'}`;
	return TOP_LABELS[field] ?? field;
}

function read(this: IExecuteFunctions, i: number): IDataObject {
	const dataMode = this.getNodeParameter('dataMode', i, 'fields') as string;
	const body = dataMode === 'json' ? jsonParameter(this, i, this.getNodeParameter('json', i), 'JSON Body') : fieldsBody.call(this, i);
	const problem = problemOf(checkInstanceBody, body);
	if (problem) {
		const where = dataMode === 'json' ? `JSON Body: ${problem.field}` : `${formLabel(problem.field)} (${problem.field})`;
		throw new NodeOperationError(this.getNode(), `${where} ${problem.problem}`, { itemIndex: i });
	}
	return body;
}

function fieldsBody(this: IExecuteFunctions, i: number): IDataObject {
	const str = (value: unknown) => (value === undefined || value === null ? '' : String(value).trim());
	const param = (name: string) => str(this.getNodeParameter(name, i, ''));
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const status = param('status');
	const updateMode = param('updateMode') || 'REPLACE';
	const texts = new I18nTexts();

	const updateTime = optionalEpochMs(options.updateTime, 'Options > Update Time') ?? String(Date.now());
	const startTime = optionalEpochMs(options.startTime, 'Options > Start Time') ?? updateTime;
	const endTime = optionalEpochMs(options.endTime, 'Options > End Time') ?? (status === 'PENDING' ? '0' : updateTime);
	const pcLink = param('pcLink');
	const mobileLink = param('mobileLink');
	const linksOf = (pc: string, mobile: string): IDataObject => ({ ...(pc ? { pc_link: pc } : {}), ...(mobile ? { mobile_link: mobile } : {}) });

	const formFields = ((this.getNodeParameter('form', i, {}) as IDataObject).field ?? []) as IDataObject[];
	const form = formFields.map((field, n) => {
		const name = str(field.name);
		if (!name) throw new FieldError(`Form > Field ${n + 1} > Name`, 'is required');
		return { name: texts.key(`form_${n}_name`, name), value: texts.key(`form_${n}_value`, str(field.value)) };
	});

	const taskRows = ((this.getNodeParameter('tasks', i, {}) as IDataObject).task ?? []) as IDataObject[];
	const taskList = taskRows.map((row, n) => {
		const at = `Tasks > Task ${n + 1}`;
		const taskStatus = str(row.status) || 'PENDING';
		const taskUpdate = optionalEpochMs(row.updateTime, `${at} > Update Time`) ?? updateTime;
		const task: IDataObject = {
			task_id: str(row.taskId),
			user_id: str(row.userId),
			status: taskStatus,
			// Empty task links fall back to the instance's: the API requires links on every task [doc].
			links: linksOf(str(row.pcLink) || pcLink, str(row.mobileLink) || mobileLink),
			create_time: optionalEpochMs(row.createTime, `${at} > Create Time`) ?? updateTime,
			end_time: optionalEpochMs(row.endTime, `${at} > End Time`) ?? (taskStatus === 'PENDING' ? '0' : taskUpdate),
			update_time: taskUpdate,
		};
		const title = texts.optionalKey(`task_${n}_title`, str(row.title));
		if (title) task.title = title;
		return task;
	});

	const body: IDataObject = {
		approval_code: param('approvalCode'),
		instance_id: param('instanceId'),
		status,
		links: linksOf(pcLink, mobileLink),
	};
	const title = texts.optionalKey('title', param('title'));
	if (title) body.title = title;
	if (form.length) body.form = form;
	body.user_id = param('initiatorUserId');
	Object.assign(body, { start_time: startTime, end_time: endTime, update_time: updateTime, update_mode: updateMode });
	body.task_list = taskList;
	body.i18n_resources = texts.resources(String(options.locale ?? 'zh-CN')) as unknown as IDataObject[];
	return body;
}

/**
 * Whether Feishu took the change, when its answer tells: `process_record` counts inserted and
 * updated instances [sdk]. An UPDATE whose update_time is not newer than Feishu's counts none
 * (Feishu answers success either way [guess]). Undefined when the answer has no such record.
 */
function applied(answer: SyncAnswer): boolean | undefined {
	const counts = (answer.process_record as IDataObject | undefined)?.instance as IDataObject | undefined;
	if (!counts || typeof counts !== 'object') return undefined;
	return Number(counts.insert_num ?? 0) + Number(counts.update_num ?? 0) > 0;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await perItem(this, items, (i) => read.call(this, i), async (app, body: IDataObject) => {
		const answer = await syncExternalInstance(app, body as JsonObject);
		// `applied` first, where a reader of the output sees it before the long echo.
		const taken = applied(answer);
		const json: IDataObject = { ...(taken !== undefined ? { applied: taken } : {}), ...(answer.data ?? body) };
		if (answer.process_record) json.process_record = answer.process_record;
		return maskSecrets(json);
	});
}
