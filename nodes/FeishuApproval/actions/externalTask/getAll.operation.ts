import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { IdListError, parseIdList } from '../../helpers/idList';
import { InputError } from '../../helpers/inputError';
import { shape, toPageItem } from '../../helpers/output';
import { approvalCodesParameter, idListParameter, optionsCollection, outputParameter } from '../../helpers/parameters';
import { isTaskStatus, TASK_STATUSES, taskStatusOptions } from '../../helpers/taskStatus';
import { isToolForm, TOOL_DEFAULT_ROWS, TOOL_MAX_ROWS, TOOL_ONLY, toolRowsAnswer, toToolRows } from '../../helpers/tool';
import type { ExternalTasksQuery } from '../../transport';
import { MAX_PAGE_SIZE } from '../../transport';
import { credentialApp, failer } from '../perItem';
import type { ItemRequest, Output } from './plan';
import { fetchRequests } from './plan';

/**
 * Default bound of Return All, in minutes, as the trigger's Poll Deadline: generous, so a slow but
 * working Feishu (many pages of 10 to 20 s) is no error, yet a server that keeps answering
 * `has_more` cannot hold an execution for ever.
 */
export const DEFAULT_DEADLINE_MINUTES = 10;

const statusOptions = taskStatusOptions({
	PENDING: 'Waiting for the approver',
	APPROVED: 'The approver approved',
	REJECTED: 'The approver rejected',
	TRANSFERRED: 'The task was handed to someone else',
	DONE: 'Passed without the approver acting; the approver does not see it',
});

const properties: INodeProperties[] = [
	{
		displayName: 'Query By',
		name: 'queryBy',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Instance IDs',
				value: 'instanceIds',
				description: 'Every task of the given approval instances',
			},
			{
				name: 'Approvers',
				value: 'approvers',
				description: 'Tasks of the given approvers in one status, within the given approval codes',
			},
			{
				name: 'Status',
				value: 'status',
				description: 'Every task in one status, within the given approval codes',
			},
		],
		default: 'status',
	},
	{
		...idListParameter({
			displayName: 'Instance IDs',
			name: 'instanceIds',
			placeholder: 'oa_159160304, oa_159160305',
			what: 'Approval instance IDs (审批实例 ID) from your system',
			then: '. More than 20 are sent in several requests.',
			required: true,
		}),
		displayOptions: { show: { queryBy: ['instanceIds'] } },
	},
	{
		...approvalCodesParameter('', 'sent'),
		displayOptions: { show: { queryBy: ['approvers', 'status'] } },
	},
	{
		...idListParameter({
			displayName: 'User IDs',
			name: 'userIds',
			placeholder: '112321, 5d9bdxxx',
			what: "Approvers' user IDs (user_id)",
			required: true,
		}),
		displayOptions: { show: { queryBy: ['approvers'] } },
	},
	{
		displayName: 'Task Status',
		name: 'status',
		type: 'options',
		options: statusOptions,
		default: 'PENDING',
		description: 'Only tasks in this status',
		displayOptions: { show: { queryBy: ['approvers', 'status'] } },
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { hide: TOOL_ONLY },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		hint: 'Counts approval instances: with Output "Tasks" each instance gives one row per task',
		displayOptions: { show: { returnAll: [false] }, hide: TOOL_ONLY },
	},
	{
		displayName: 'Max Rows',
		name: 'maxRows',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: TOOL_MAX_ROWS },
		default: TOOL_DEFAULT_ROWS,
		description: `Most task rows one call returns; the answer says when more exist. Let the model raise it with {{ $fromAI('max_rows', 'Most rows to return', 'number', ${TOOL_DEFAULT_ROWS}) }}.`,
		displayOptions: { show: TOOL_ONLY },
	},
	{
		...outputParameter('instances', {
			instances: 'One item per approval instance, with its tasks, as Feishu returns it',
			tasks: 'One flat row per task, ready for a spreadsheet',
			pages: 'One item per page fetched, with its page token, for paging by hand',
		}),
		displayOptions: { hide: TOOL_ONLY },
	},
	optionsCollection([
		{
			displayName: 'Page Size',
			name: 'pageSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_PAGE_SIZE },
			default: 500,
			description:
				'Instances per request, 1 to 500. Without this option the node picks it: the limit (at most 500), or 500 with Return All or Query By Instance IDs.',
		},
		{
			displayName: 'Page Token',
			name: 'pageToken',
			// A page token is a cursor the API hands out in its answers, not a secret to mask.
			// eslint-disable-next-line n8n-nodes-base/node-param-type-options-password-missing
			type: 'string',
			default: '',
			description: 'Start from this page token (from an earlier "Pages" output) instead of the first page',
		},
		{
			displayName: 'Deadline (Minutes)',
			name: 'deadline',
			type: 'number',
			typeOptions: { minValue: 0.1, numberPrecision: 1 },
			default: DEFAULT_DEADLINE_MINUTES,
			description:
				'Longest Return All may take for all its pages, retries and rate-limit waits included. A server that keeps answering "more pages" cannot hold the execution longer: it fails with an error.',
			displayOptions: { show: { '/returnAll': [true] } },
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 30,
			description: 'Seconds to wait for each answer before retrying',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['externalTask'], operation: ['getAll'] } },
	properties,
);

/** One item's parameters as a request, or an `InputError` naming what to change. */
function readItem(this: IExecuteFunctions, i: number): ItemRequest {
	const queryBy = this.getNodeParameter('queryBy', i) as string;
	const tool = isToolForm(this);
	const returnAll = tool ? false : (this.getNodeParameter('returnAll', i, false) as boolean);
	const output = tool ? 'tool' : (this.getNodeParameter('output', i, 'instances') as Output);
	const options = this.getNodeParameter('options', i, {}) as IDataObject;

	const list = (name: string, label: string): string[] => {
		const ids = parseIdList(this.getNodeParameter(name, i, ''), label);
		if (!ids.length) throw new InputError(`${label} is empty: enter at least one`);
		return ids;
	};
	const status = (): string => {
		// A model (or an expression) may well write "pending".
		const value = String(this.getNodeParameter('status', i) ?? '').trim().toUpperCase();
		if (!isTaskStatus(value)) {
			throw new InputError(`Task Status "${value}" is not one of ${TASK_STATUSES.join(', ')}`);
		}
		return value;
	};

	let query: ExternalTasksQuery;
	if (queryBy === 'instanceIds') query = { instance_ids: list('instanceIds', 'Instance IDs') };
	else if (queryBy === 'approvers')
		query = { approval_codes: list('approvalCodes', 'Approval Codes'), user_ids: list('userIds', 'User IDs'), status: status() };
	else if (queryBy === 'status') query = { approval_codes: list('approvalCodes', 'Approval Codes'), status: status() };
	else throw new InputError(`Query By "${queryBy}" is not one of instanceIds, approvers, status`);

	let limit: number | undefined;
	let maxRows: number | undefined;
	if (tool) {
		maxRows = Number(this.getNodeParameter('maxRows', i, TOOL_DEFAULT_ROWS));
		if (!Number.isInteger(maxRows) || maxRows < 1 || maxRows > TOOL_MAX_ROWS) {
			throw new InputError(`max_rows must be a whole number from 1 to ${TOOL_MAX_ROWS}, not ${maxRows}`);
		}
		// Every instance gives at least one row: one instance more than rows tells whether more exist.
		limit = maxRows + 1;
	} else if (!returnAll) {
		limit = Number(this.getNodeParameter('limit', i, 50));
		if (!Number.isInteger(limit) || limit < 1) throw new InputError(`Limit must be a whole number of at least 1, not ${limit}`);
	}
	// An instance-id query returns at most one instance per id, so a small page only adds requests.
	let pageSize = returnAll || queryBy === 'instanceIds' ? MAX_PAGE_SIZE : Math.min(limit!, MAX_PAGE_SIZE);
	if (options.pageSize !== undefined) {
		pageSize = Number(options.pageSize);
		if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
			throw new InputError(`Page Size must be a whole number from 1 to ${MAX_PAGE_SIZE}, not ${options.pageSize}`);
		}
	}
	const timeout = options.timeout === undefined ? undefined : Number(options.timeout);
	if (timeout !== undefined && !(timeout > 0)) throw new InputError(`Timeout (Seconds) must be a positive number, not ${options.timeout}`);
	const pageToken = typeof options.pageToken === 'string' && options.pageToken.trim() ? options.pageToken.trim() : undefined;
	let deadlineMs: number | undefined;
	if (returnAll) {
		const deadline = options.deadline === undefined ? DEFAULT_DEADLINE_MINUTES : Number(options.deadline);
		if (!(deadline > 0)) throw new InputError(`Deadline (Minutes) must be a number of minutes above 0, not ${String(options.deadline)}`);
		deadlineMs = deadline * 60_000;
	}

	return {
		itemIndex: i,
		query,
		output,
		maxRows,
		paging: {
			pageSize,
			pageToken,
			limit,
			limits: timeout ? { headersMs: timeout * 1000, bodyMs: timeout * 1000 } : undefined,
			deadlineMs,
		},
	};
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const results: INodeExecutionData[][] = items.map(() => []);
	const fail = failer(this, results);

	// Every item is checked before the first request, so bad input costs no request.
	const requests: ItemRequest[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			requests.push(readItem.call(this, i));
		} catch (error) {
			if (error instanceof InputError || error instanceof IdListError) {
				fail(new NodeOperationError(node, error.message, { itemIndex: i }), i);
			} else fail(error, i);
		}
	}
	const app = await credentialApp(this, requests.map((r) => r.itemIndex), fail);
	if (!app) return results.flat();

	const outcomes = await fetchRequests(node, app, requests);
	for (const request of requests) {
		const i = request.itemIndex;
		const outcome = outcomes.get(request)!;
		if ('error' in outcome) fail(outcome.error, i);
		else if ('pages' in outcome) results[i] = outcome.pages.map((page) => ({ json: toPageItem(page), pairedItem: { item: i } }));
		else if (request.output === 'tool') {
			results[i] = [{ json: toolRowsAnswer(outcome.instances.flatMap(toToolRows), request.maxRows!), pairedItem: { item: i } }];
		} else results[i] = shape(outcome.instances, request.output === 'tasks' ? 'tasks' : 'instances', { item: i });
	}
	// One input item is the common case: skip copying tens of thousands of items into a new array.
	return results.length === 1 ? results[0] : results.flat();
}
