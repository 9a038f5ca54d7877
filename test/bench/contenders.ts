import * as lark from '@larksuiteoapi/node-sdk';
import { Pool } from 'undici';

import { RateLimiter } from '../../nodes/FeishuApproval/transport/rateLimiter';
import { runWorkflow } from '../helpers/runWorkflow';

// The three clients compared on the same query, server and data. Each returns the instances (or
// n8n items) it collected, so the caller can check the count and measure what is kept.

export interface Target {
	baseUrl: string;
	appId: string;
	appSecret: string;
}

export interface StatusQuery {
	approval_codes: string[];
	status: 'PENDING' | 'APPROVED' | 'REJECTED' | 'TRANSFERRED' | 'DONE';
}

export type Contender = (target: Target, query: StatusQuery, pageSize: number) => Promise<unknown[]>;

const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';
const TASKS_PATH = '/open-apis/approval/v4/external_tasks';

/** Our node, through n8n-core's WorkflowExecute, exactly as a workflow runs it. */
export const node: Contender = async (target, query, pageSize) => {
	const { items, error } = await runWorkflow({
		credential: { region: 'custom', baseUrl: target.baseUrl, appId: target.appId, appSecret: target.appSecret },
		parameters: {
			queryBy: 'status',
			approvalCodes: query.approval_codes.join(','),
			status: query.status,
			returnAll: true,
			options: { pageSize },
		},
	});
	if (error) throw error;
	return items;
};

// Kept across runs, like the transport's pools and limiter: a client is long-lived.
const barePools = new Map<string, Pool>();

function barePool(origin: string): Pool {
	let pool = barePools.get(origin);
	if (!pool) barePools.set(origin, (pool = new Pool(origin, { connections: 8, keepAliveTimeout: 4_000 })));
	return pool;
}

async function bareJson(origin: string, method: 'GET' | 'POST', path: string, headers: Record<string, string>, body: Buffer) {
	const response = await barePool(origin).request({
		method,
		path,
		headers: { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length) },
		body,
		// As the transport does: keep the connection after a GET with a body (undici closes it otherwise).
		reset: false,
	});
	const parsed = JSON.parse(await response.body.text()) as { code: number; msg: string } & Record<string, unknown>;
	if (parsed.code !== 0) throw new Error(`bare loop: ${parsed.code} ${parsed.msg}`);
	return parsed;
}

/** The same requests on undici, paced by `limiter`, one JSON.parse per answer; each page's instances to `onPage`. */
async function barePages(limiter: RateLimiter, target: Target, query: StatusQuery, pageSize: number, onPage: (instances: unknown[]) => void): Promise<void> {
	const exchange = Buffer.from(JSON.stringify({ app_id: target.appId, app_secret: target.appSecret }));
	const { tenant_access_token: token } = (await bareJson(target.baseUrl, 'POST', TOKEN_PATH, {}, exchange)) as unknown as {
		tenant_access_token: string;
	};
	const headers = { authorization: `Bearer ${token}` };
	const body = Buffer.from(JSON.stringify(query));
	let pageToken: string | undefined;
	do {
		const path = `${TASKS_PATH}?page_size=${pageSize}${pageToken ? `&page_token=${encodeURIComponent(pageToken)}` : ''}`;
		// The limiter dates each slot from its answer, as the transport does.
		const release = await limiter.acquire(target.appId);
		let page: { data: { data: unknown[]; page_token?: string; has_more: boolean } };
		try {
			page = (await bareJson(target.baseUrl, 'GET', path, headers, body)) as unknown as typeof page;
		} finally {
			release();
		}
		onPage(page.data.data);
		pageToken = page.data.has_more ? page.data.page_token : undefined;
	} while (pageToken);
}

/** The floor: the bare requests, keeping every instance (what Return All must return). */
export const bareLoop = (limiter: RateLimiter): Contender => async (target, query, pageSize) => {
	const instances: unknown[] = [];
	await barePages(limiter, target, query, pageSize, (page) => {
		for (const instance of page) instances.push(instance);
	});
	return instances;
};

// The node's own limiter class and windows, so both paced contenders leave on the same schedule.
const bareLimiter = new RateLimiter();
export const bare = bareLoop(bareLimiter);

/** The floor for a reader that keeps nothing (the trigger's poll): the bare requests, counting instances. */
export async function bareCount(target: Target, query: StatusQuery, pageSize: number): Promise<number> {
	let count = 0;
	await barePages(bareLimiter, target, query, pageSize, (page) => (count += page.length));
	return count;
}

/** The official SDK's own paging; it has no rate limiter, so it runs unpaced. */
export const sdk: Contender = async (target, query, pageSize) => {
	const client = new lark.Client({
		appId: target.appId,
		appSecret: target.appSecret,
		// A string domain is used as the origin as is (the SDK's formatDomain).
		domain: target.baseUrl,
		loggerLevel: lark.LoggerLevel.error,
	});
	const instances: unknown[] = [];
	const pages = await client.approval.externalTask.listWithIterator({ data: query, params: { page_size: pageSize } });
	for await (const page of pages) {
		// On an HTTP error the SDK logs, yields null (or {}) and stops: a short list, caught below.
		for (const instance of page?.data ?? []) instances.push(instance);
	}
	return instances;
};

export async function closeBarePools(): Promise<void> {
	const all = [...barePools.values()];
	barePools.clear();
	await Promise.all(all.map(async (pool) => await pool.close()));
}
