import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ExternalInstance } from '../transport';
import { toNodeError } from '../transport';

/**
 * The tool form: n8n derives `<package>.feishuApprovalTool` from `usableAsTool` (an AI Agent's
 * tool, or an MCP Server Trigger's), and runs this node's own execute() with that node type.
 * Its display options see the same thing through `@tool` [seen: n8n-workflow getPropertyValues].
 */
export function isToolForm(ctx: IExecuteFunctions): boolean {
	return ctx.getNode().type.endsWith('Tool');
}

/** Most rows a Get Many tool call returns unless the model asks for more (`maxRows`). */
export const TOOL_DEFAULT_ROWS = 20;
export const TOOL_MAX_ROWS = 500;

/** ISO-8601 to the second from epoch milliseconds; '' when there is no time. */
export function isoSeconds(ms: string | number | undefined): string {
	if (ms === undefined || ms === '' || ms === '0' || ms === 0) return '';
	const date = new Date(Number(ms));
	return Number.isNaN(date.getTime()) ? '' : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** One task as a model reads it: which request, its status and the task's, since when; under 200 bytes as JSON. */
export interface ToolTaskRow extends IDataObject {
	instance_id: string;
	approval_code: string;
	/** The instance's status. */
	status: string;
	task_id: string;
	task_status: string;
	updated: string;
}

export function toToolRows(instance: ExternalInstance): ToolTaskRow[] {
	const tasks = instance.tasks?.length ? instance.tasks : [undefined];
	return tasks.map((task) => ({
		instance_id: instance.instance_id,
		approval_code: instance.approval_code,
		status: instance.status,
		task_id: task?.id ?? '',
		task_status: task?.status ?? '',
		updated: isoSeconds(task?.update_time ?? instance.update_time),
	}));
}

/**
 * The answer of a tool call: rows, and whether more exist (the model can raise max_rows or narrow
 * the query). A model pays for every byte, so nothing else.
 */
export function toolRowsAnswer(rows: ToolTaskRow[], maxRows: number): IDataObject {
	if (!rows.length) return { rows: [], more_rows: false, note: 'No tasks match this query. Check the approval codes, user IDs or instance IDs, and the status.' };
	if (rows.length <= maxRows) return { rows, more_rows: false };
	return {
		rows: rows.slice(0, maxRows),
		more_rows: true,
		note: `Only the first ${maxRows} rows are shown and more exist: ask again with a higher max_rows (up to ${TOOL_MAX_ROWS}) or a narrower query.`,
	};
}

/** i18n keys (`@i18n@…`) of a definition resolved to the default locale's texts. */
function i18nTexts(definition: IDataObject): (key: unknown) => string {
	const resources = (Array.isArray(definition.i18n_resources) ? definition.i18n_resources : []) as IDataObject[];
	const chosen = resources.find((r) => r.is_default) ?? resources[0];
	const texts = new Map<string, string>();
	for (const text of (chosen?.texts ?? []) as IDataObject[]) texts.set(String(text.key), String(text.value));
	return (key) => (typeof key === 'string' ? (texts.get(key) ?? key) : '');
}

/** A definition as a model needs it: names in words, links, whether quick approval is on; no secrets. */
export function toToolDefinition(definition: IDataObject): IDataObject {
	const text = i18nTexts(definition);
	const external = (definition.external ?? {}) as IDataObject;
	const compact: IDataObject = {
		approval_code: definition.approval_code ?? '',
		name: text(definition.approval_name),
		group: text(definition.group_name) || String(definition.group_code ?? ''),
	};
	if (definition.description) compact.description = text(definition.description);
	if (external.create_link_pc) compact.create_link_pc = external.create_link_pc;
	if (external.create_link_mobile) compact.create_link_mobile = external.create_link_mobile;
	compact.quick_approval = Boolean(external.action_callback_url);
	const viewers = (Array.isArray(definition.viewers) ? definition.viewers : []) as IDataObject[];
	compact.visible_to = viewers.length ? [...new Set(viewers.map((v) => String(v.viewer_type ?? '')))].join(', ') : 'nobody';
	return compact;
}

/**
 * A failure as the model should read it: what went wrong and what to change, as text in the
 * answer (a thrown error would end the whole execution in n8n 2.8 and 1.x). Secrets are already
 * masked by the transport's errors.
 */
export function toolErrorItem(ctx: IExecuteFunctions, error: unknown): INodeExecutionData {
	const nodeError = toNodeError(ctx.getNode(), error, 0);
	const message = /[.!?]$/.test(nodeError.message) ? nodeError.message : `${nodeError.message}.`;
	return { json: { error: nodeError.description ? `${message} ${nodeError.description}` : message } };
}

/**
 * `show: TOOL_ONLY` for the tool form's own fields, `hide: TOOL_ONLY` for the normal node's: an
 * n8n that does not know `@tool` then shows the normal form in both, as before.
 */
export const TOOL_ONLY = { '@tool': [true] };

/**
 * The tool's description, per operation (and per Get Many query mode), written for a model:
 * what it answers, what each input looks like, and whether it writes. n8n sends it with every
 * call, so it stays short. Users may edit it like any n8n tool description.
 */
export const TOOL_DESCRIPTIONS = {
	getAll: {
		instanceIds:
			'Answers the status of known approval requests: give instance IDs from the source system (e.g. oa_159160304, several comma-separated). Rows: instance_id, approval_code, status (of the instance), task_id, task_status (PENDING, APPROVED, REJECTED, TRANSFERRED or DONE), updated (ISO). Read-only; says when more rows exist.',
		approvers:
			'Answers what waits on (or was decided by) given approvers: give approvers\' user_id (e.g. 5d9bdxxx), approval codes (e.g. E78F1022-A166-447C-8320-E151DA90D70F) and one status: PENDING, APPROVED, REJECTED, TRANSFERRED or DONE. Rows: instance_id, approval_code, status (of the instance), task_id, task_status, updated (ISO). Read-only; says when more rows exist.',
		status:
			'Answers which approval tasks are in one status: give approval codes (e.g. E78F1022-A166-447C-8320-E151DA90D70F) and a status: PENDING, APPROVED, REJECTED, TRANSFERRED or DONE. Rows: instance_id, approval_code, status (of the instance), task_id, task_status, updated (ISO). Read-only; says when more rows exist.',
	},
	get: 'Reads one approval definition by its approval code (e.g. E78F1022-A166-447C-8320-E151DA90D70F or purchase_request): its name, group, links and who can see it. Read-only.',
	check:
		'Checks whether Feishu holds the same version of an approval instance as the source system: give the instance ID (e.g. oa_159160304), its update time (ISO) and its tasks\' task_id and update time. Answers up_to_date and the tasks that differ. Read-only.',
	upsertInstance:
		'WRITES to Feishu: creates or replaces an approval instance and its approvers\' tasks, which approvers then see. Call it only when the user asked to create or change that approval.',
	upsertDefinition:
		'WRITES to Feishu: creates or updates an approval definition (its name, links and viewers). Call it only when the user asked to create or change it.',
} as const;

/** The tool form's Description fields (n8n adds its own only when a node has none). */
export function toolDescriptionProperties(): INodeProperties[] {
	const field = (text: string, show: IDataObject): INodeProperties => ({
		displayName: 'Tool Description',
		name: 'toolDescription',
		type: 'string',
		typeOptions: { rows: 3 },
		default: text,
		description: 'What the model reads about this tool on every call: what it answers, what its inputs look like, whether it writes',
		displayOptions: { show: { ...TOOL_ONLY, ...show } },
	});
	return [
		...(['instanceIds', 'approvers', 'status'] as const).map((queryBy) =>
			field(TOOL_DESCRIPTIONS.getAll[queryBy], { resource: ['externalTask'], operation: ['getAll'], queryBy: [queryBy] }),
		),
		field(TOOL_DESCRIPTIONS.get, { resource: ['externalApproval'], operation: ['get'] }),
		field(TOOL_DESCRIPTIONS.upsertDefinition, { resource: ['externalApproval'], operation: ['upsert'] }),
		field(TOOL_DESCRIPTIONS.check, { resource: ['externalInstance'], operation: ['check'] }),
		field(TOOL_DESCRIPTIONS.upsertInstance, { resource: ['externalInstance'], operation: ['upsert'] }),
	];
}
