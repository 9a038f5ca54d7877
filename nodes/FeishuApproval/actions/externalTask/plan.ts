/**
 * Get Many's planner: the checked requests of all input items become as few task-list queries as
 * the API allows (split past 20 ids or codes, instance ids pooled across items, equal queries
 * shared), their pages are fetched, and each item gets back its own instances, pages or error.
 */
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { chunk } from '../../helpers/idList';
import type { Output as InstancesOutput } from '../../helpers/output';
import { poolBatches } from '../../helpers/pool';
import type { ExternalInstance, ExternalTasksPage, ExternalTasksQuery, FeishuApp, PagingOptions } from '../../transport';
import { externalTasksPages, MAX_IDS_PER_REQUEST } from '../../transport';

/** `tool`: compact task rows in one answer, for a model (the tool form). */
export type Output = InstancesOutput | 'pages' | 'tool';

/** Paging plus the deadline over all of a query's pages (Return All). */
export interface Paging extends PagingOptions {
	deadlineMs?: number;
}

/** What one input item asks for, checked before anything is sent. */
export interface ItemRequest {
	itemIndex: number;
	query: ExternalTasksQuery;
	output: Output;
	paging: Paging;
	/** The tool form's row cap. */
	maxRows?: number;
}

/** What one item gets: its error, the pages fetched (output "pages"), or its instances, merged and limited. */
export type Outcome = { error: unknown } | { pages: ExternalTasksPage[] } | { instances: ExternalInstance[] };

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

/** The instances of a query split in several, each once, in the API's order, up to the limit. */
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

/** Plans, fetches and merges the requests; each one's outcome, keyed by the request itself. */
export async function fetchRequests(node: INode, app: FeishuApp, requests: ItemRequest[]): Promise<Map<ItemRequest, Outcome>> {
	const { pooled, own } = plan(requests);
	// Sequential: the rate limiter paces requests anyway, and order keeps request logs readable.
	for (const p of pooled) await fetchPlans(node, app, [p]);
	for (const plans of new Set(own.values())) await fetchPlans(node, app, plans);

	const byId = new Map<string, ExternalInstance>();
	for (const p of pooled) for (const page of p.pages ?? []) for (const instance of page.data) byId.set(instance.instance_id, instance);

	const outcomes = new Map<ItemRequest, Outcome>();
	for (const request of requests) {
		const plans = own.get(request) ?? pooled.filter((p) => p.items.includes(request));
		const failed = plans.find((p) => p.error !== undefined);
		if (failed) outcomes.set(request, { error: failed.error });
		else if (request.output === 'pages') outcomes.set(request, { pages: plans.flatMap((p) => p.pages ?? []) });
		else if (own.has(request)) outcomes.set(request, { instances: mergeInstances(plans, request.paging.limit) });
		else {
			const ids = (request.query as { instance_ids: string[] }).instance_ids;
			let instances = ids.map((id) => byId.get(id)).filter((instance): instance is ExternalInstance => !!instance);
			if (request.paging.limit !== undefined) instances = instances.slice(0, request.paging.limit);
			outcomes.set(request, { instances });
		}
	}
	return outcomes;
}
