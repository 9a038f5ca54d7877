import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { chunk, IdListError, parseIdList } from '../../helpers/idList';
import { InputError } from '../../helpers/inputError';
import type { Output as InstancesOutput } from '../../helpers/output';
import { shape, toPageItem } from '../../helpers/output';
import { poolBatches } from '../../helpers/pool';
import { isTaskStatus, TASK_STATUSES, taskStatusOptions } from '../../helpers/taskStatus';
import { isToolForm, TOOL_DEFAULT_ROWS, TOOL_MAX_ROWS, TOOL_ONLY, toolRowsAnswer, toToolRows } from '../../helpers/tool';
import type { ExternalInstance, ExternalTasksPage, ExternalTasksQuery, FeishuApp, PagingOptions } from '../../transport';
import { appFromCredential, externalTasksPages, MAX_IDS_PER_REQUEST, MAX_PAGE_SIZE, toNodeError } from '../../transport';
import { FEISHU_API_CREDENTIAL } from '../../helpers/nodeTypes';
import { approvalCodesParameter, idListParameter } from '../../helpers/parameters';

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
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{
				name: 'Instances',
				value: 'instances',
				description: 'One item per approval instance, with its tasks, as Feishu returns it',
			},
			{
				name: 'Tasks',
				value: 'tasks',
				description: 'One flat row per task, ready for a spreadsheet',
			},
			{
				name: 'Pages',
				value: 'pages',
				description: 'One item per page fetched, with its page token, for paging by hand',
			},
		],
		default: 'instances',
		displayOptions: { hide: TOOL_ONLY },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
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
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['externalTask'], operation: ['getAll'] } },
	properties,
);

/** `tool`: compact task rows in one answer, for a model (the tool form). */
type Output = InstancesOutput | 'pages' | 'tool';

/** Paging plus the deadline over all of a query's pages (Return All). */
interface Paging extends PagingOptions {
	deadlineMs?: number;
}

/** What one input item asks for, checked before anything is sent. */
interface ItemRequest {
	itemIndex: number;
	query: ExternalTasksQuery;
	output: Output;
	paging: Paging;
	/** The tool form's row cap. */
	maxRows?: number;
}


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

/** Requests that can be answered by the same pages share one plan; `items` are the asking items. */
interface Plan {
	query: ExternalTasksQuery;
	paging: Paging;
	items: ItemRequest[];
	pages?: ExternalTasksPage[];
	error?: unknown;
}

/** Splits a query over more than 20 ids or codes into queries the API accepts. */
function splitQuery(query: ExternalTasksQuery): ExternalTasksQuery[] {
	if ('instance_ids' in query) return chunk(query.instance_ids, MAX_IDS_PER_REQUEST).map((ids) => ({ instance_ids: ids }));
	return chunk(query.approval_codes, MAX_IDS_PER_REQUEST).map((codes) => ({ ...query, approval_codes: codes }));
}

/** Instance-id lookups of all items pool into shared requests of up to 20 ids (100 items: 5 requests). */
function poolable(request: ItemRequest): boolean {
	return 'instance_ids' in request.query && request.output !== 'pages' && !request.paging.pageToken;
}

function plan(requests: ItemRequest[]): { pooled: Plan[]; own: Map<ItemRequest, Plan[]> } {
	const pooledIds = new Map<string, { paging: Paging; items: ItemRequest[] }>();
	const own = new Map<ItemRequest, Plan[]>();
	const shared = new Map<string, Plan[]>();
	for (const request of requests) {
		if (poolable(request)) {
			// Pool by what changes the requests themselves: page size and time limits.
			const paging: Paging = { pageSize: request.paging.pageSize, limits: request.paging.limits, deadlineMs: request.paging.deadlineMs };
			const key = JSON.stringify(paging);
			const pool = pooledIds.get(key) ?? { paging, items: [] };
			pooledIds.set(key, pool);
			pool.items.push(request);
			continue;
		}
		const key = JSON.stringify([request.query, request.paging]);
		let plans = shared.get(key);
		if (!plans) {
			// Past 20 codes the API needs several queries; a limit then applies to their merged result.
			plans = splitQuery(request.query).map((query) => ({ query, paging: request.paging, items: [] }));
			shared.set(key, plans);
		}
		for (const p of plans) p.items.push(request);
		own.set(request, plans);
	}
	const pooled: Plan[] = [];
	for (const pool of pooledIds.values()) {
		const asking = pool.items.map((r) => ({ itemIndex: r.itemIndex, keys: (r.query as { instance_ids: string[] }).instance_ids }));
		for (const batch of poolBatches(asking, MAX_IDS_PER_REQUEST)) {
			// Only the items that asked for one of these ids depend on this request (and its failure).
			const items = pool.items.filter((r) => batch.items.includes(r.itemIndex));
			pooled.push({ query: { instance_ids: batch.keys }, paging: pool.paging, items });
		}
	}
	return { pooled, own };
}

/**
 * Fetches the plans of one query in turn; a limit spans them all, so no request goes beyond it,
 * and so does the deadline: one signal stops the page in flight, a retry or a rate-limit wait.
 */
async function fetchPlans(node: INode, app: FeishuApp, plans: Plan[]): Promise<void> {
	let remaining = plans[0].paging.limit ?? Infinity;
	const { deadlineMs } = plans[0].paging;
	const signal = deadlineMs ? AbortSignal.timeout(deadlineMs) : undefined;
	for (const p of plans) {
		if (remaining <= 0) return;
		const pages: ExternalTasksPage[] = [];
		try {
			const paging: PagingOptions = { pageSize: p.paging.pageSize, pageToken: p.paging.pageToken, limits: p.paging.limits, limit: Number.isFinite(remaining) ? remaining : undefined, signal };
			for await (const page of externalTasksPages(app, p.query, paging)) {
				pages.push(page);
				remaining -= page.data.length;
			}
			p.pages = pages;
		} catch (error) {
			p.error = signal?.aborted
				? new NodeOperationError(node, `Return All did not finish within its deadline of ${deadlineMs! / 60_000} minute(s)`, {
						description: `${pages.length} page(s) had arrived. Feishu answered too slowly, kept saying there are more pages, or retries and rate-limit waits took too long. Narrow the query, raise Options → Deadline (Minutes), or page by hand with Output "Pages" and a page token.`,
					})
				: error;
			return;
		}
	}
}

function mergeInstances(plans: Plan[], limit: number | undefined): ExternalInstance[] {
	const seen = new Set<string>();
	const instances: ExternalInstance[] = [];
	for (const p of plans) {
		for (const page of p.pages ?? []) {
			for (const instance of page.data) {
				if (seen.has(instance.instance_id)) continue;
				seen.add(instance.instance_id);
				instances.push(instance);
				if (limit !== undefined && instances.length >= limit) return instances;
			}
		}
	}
	return instances;
}

function shapeFor(instances: ExternalInstance[], request: ItemRequest): INodeExecutionData[] {
	const { output } = request;
	const pairedItem = { item: request.itemIndex };
	if (output === 'tool') return [{ json: toolRowsAnswer(instances.flatMap(toToolRows), request.maxRows!), pairedItem }];
	return shape(instances, output === 'tasks' ? 'tasks' : 'instances', pairedItem);
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const results: INodeExecutionData[][] = items.map(() => []);
	const fail = (error: unknown, itemIndex: number) => {
		const nodeError = toNodeError(node, error, itemIndex);
		if (!this.continueOnFail()) throw nodeError;
		results[itemIndex] = [{ json: { error: nodeError.message, description: nodeError.description ?? '' }, error: nodeError, pairedItem: { item: itemIndex } }];
	};

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
	if (!requests.length) return results.flat();

	let app: FeishuApp;
	try {
		app = appFromCredential(await this.getCredentials(FEISHU_API_CREDENTIAL));
	} catch (error) {
		const message = (error as Error).message;
		for (const request of requests) fail(new NodeOperationError(node, message, { itemIndex: request.itemIndex }), request.itemIndex);
		return results.flat();
	}

	const { pooled, own } = plan(requests);
	// Sequential: the rate limiter paces requests anyway, and order keeps request logs readable.
	for (const p of pooled) await fetchPlans(node, app, [p]);
	for (const plans of new Set(own.values())) await fetchPlans(node, app, plans);

	const byId = new Map<string, ExternalInstance>();
	for (const p of pooled) for (const page of p.pages ?? []) for (const instance of page.data) byId.set(instance.instance_id, instance);

	for (const request of requests) {
		const i = request.itemIndex;
		const plans = own.get(request) ?? pooled.filter((p) => p.items.includes(request));
		const failed = plans.find((p) => p.error !== undefined);
		if (failed) {
			fail(failed.error, i);
			continue;
		}
		if (request.output === 'pages') {
			results[i] = plans.flatMap((p) => (p.pages ?? []).map((page) => ({ json: toPageItem(page), pairedItem: { item: i } })));
			continue;
		}
		let instances: ExternalInstance[];
		if (own.has(request)) instances = mergeInstances(plans, request.paging.limit);
		else {
			const ids = (request.query as { instance_ids: string[] }).instance_ids;
			instances = ids.map((id) => byId.get(id)).filter((instance): instance is ExternalInstance => !!instance);
			if (request.paging.limit !== undefined) instances = instances.slice(0, request.paging.limit);
		}
		results[i] = shapeFor(instances, request);
	}
	// One input item is the common case: skip copying tens of thousands of items into a new array.
	return results.length === 1 ? results[0] : results.flat();
}
