import { Pool } from 'undici';

import { version } from '../../../package.json';

export const USER_AGENT = `n8n-nodes-feishu-approval/${version}`;

/** Time limits of one request's answer, in milliseconds. undici's own defaults (300 s) are far too long inside a workflow. */
export interface TimeLimits {
	headersMs: number;
	bodyMs: number;
}

export const DEFAULT_TIME_LIMITS: TimeLimits = { headersMs: 30_000, bodyMs: 30_000 };

/** Connecting is the pool's business, so one limit for every request to an origin. */
const CONNECT_TIMEOUT_MS = 10_000;

export interface HttpRequest {
	method: 'GET' | 'POST';
	/** Origin without trailing slash, e.g. `https://open.feishu.cn`. */
	origin: string;
	/** Path with query string. */
	path: string;
	headers?: Record<string, string>;
	/** Sent as JSON with an exact Content-Length, also on GET: the list endpoint takes its filters that way [doc]. */
	json?: unknown;
	limits?: TimeLimits;
	/** Aborts the request, e.g. at a poll's deadline. */
	signal?: AbortSignal;
}

export interface HttpResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
}

const pools = new Map<string, Pool>();

/** One long-lived keep-alive pool per origin, shared by every execution in the process. */
function poolFor(origin: string): Pool {
	let pool = pools.get(origin);
	if (!pool) {
		pool = new Pool(origin, {
			connections: 8,
			keepAliveTimeout: 4_000,
			keepAliveMaxTimeout: 60_000,
			maxResponseSize: 64 * 1024 * 1024,
			connect: { timeout: CONNECT_TIMEOUT_MS },
		});
		pools.set(origin, pool);
	}
	return pool;
}

/** Sends one request and reads the whole body; never retries (that is retryPolicy's job). */
export async function send(request: HttpRequest): Promise<HttpResponse> {
	const limits = request.limits ?? DEFAULT_TIME_LIMITS;
	const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...request.headers };
	let body: Buffer | undefined;
	if (request.json !== undefined) {
		body = Buffer.from(JSON.stringify(request.json));
		headers['content-type'] = 'application/json; charset=utf-8';
		// Some gateways answer 411 to a GET body without a length [seen].
		headers['content-length'] = String(body.length);
	}
	const response = await poolFor(request.origin).request({
		method: request.method,
		path: request.path,
		headers,
		body,
		// undici closes the connection after a GET that carries a body unless told not to
		// (client-h1.js writeBuffer): every page would pay a new TCP (and TLS) handshake.
		// The body is documented for this GET and its length exact, so the connection stays usable.
		reset: false,
		headersTimeout: limits.headersMs,
		bodyTimeout: limits.bodyMs,
		signal: request.signal,
	});
	// Reading the body to the end on every path releases the connection (undici's rule).
	const text = await response.body.text();
	return { status: response.statusCode, headers: response.headers, text };
}

/** Closes every pool; for tests and benchmarks that must let the process exit at once. */
export async function closeAll(): Promise<void> {
	const all = [...pools.values()];
	pools.clear();
	await Promise.all(all.map(async (pool) => await pool.close()));
}
