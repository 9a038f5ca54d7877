import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path/posix';
import { performance } from 'node:perf_hooks';
import type { Answer } from './answers';
import { newLogId } from './answers';
import type { Endpoints } from './endpoints';
import { route } from './endpoints';
import { faultAction, FaultQueue } from './faults';
import { PageTokens } from './pageToken';
import { METHOD_IDS, TASKS_PATH, TOKEN_PATH } from './paths';
import { SlidingWindowLimiter } from './rateLimit';
import { pressAction } from './press';
import { completeSync } from './seed';
import { SandboxState } from './state';
import type { ListPageHook, Sandbox, SandboxOptions, SandboxRequest } from './types';

// The HTTP side: a real server on 127.0.0.1, a log id and a log entry per request, injected
// faults first, then the endpoints.

const REAL_LIMITS = { perSecond: 50, perMinute: 1000, secondMs: 1000, minuteMs: 60_000 }; // [doc]

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const now = options.now ?? Date.now;
	const state = new SandboxState(options.tokenExpireSeconds ?? 7200);
	const faults = new FaultQueue();
	const limits = options.rateLimit === false ? undefined : { ...REAL_LIMITS, ...options.rateLimit };
	const env: Endpoints = {
		state,
		pageTokens: new PageTokens(),
		limiter: limits
			? new SlidingWindowLimiter(
					[
						{ limit: limits.perSecond, ms: limits.secondMs },
						{ limit: limits.perMinute, ms: limits.minuteMs },
					],
					limits.now ?? (() => performance.now()),
				)
			: undefined,
		scaledLimits: !!limits && (limits.secondMs !== REAL_LIMITS.secondMs || limits.minuteMs !== REAL_LIMITS.minuteMs),
		now,
		lastPageToken: options.lastPageToken ?? true,
	};
	const requests: SandboxRequest[] = [];
	let listPageHook: ListPageHook | undefined;
	// Pending delay faults, released on close so no timer keeps the process alive.
	const delays = new Set<{ timer: NodeJS.Timeout; release: () => void }>();

	const sleep = (ms: number) =>
		new Promise<void>((resolve) => {
			const pending = { timer: setTimeout(() => release(), ms), release: () => release() };
			const release = () => {
				clearTimeout(pending.timer);
				delays.delete(pending);
				resolve();
			};
			delays.add(pending);
		});

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const entry: SandboxRequest = {
			method: req.method ?? 'GET',
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers: req.headers,
			rawBody: '',
			body: undefined,
			status: 0,
			logId: newLogId(now()),
			arrivedAt: performance.now(),
		};
		// Logged on arrival, completed later, so the log keeps arrival order even under delays.
		requests.push(entry);
		entry.rawBody = await readBody(req);
		entry.body = parseJson(entry.rawBody);
		const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''));
		entry.appId = state.resolveToken(bearer?.[1].trim(), now());
		const ctx = { logId: entry.logId, methodId: METHOD_IDS[entry.path] ?? METHOD_IDS[dirname(entry.path)] };

		const fault = faults.take(entry.path);
		if (fault) {
			entry.fault = fault.type;
			const request = { method: entry.method, path: req.url ?? entry.path, authorization: req.headers.authorization, rawBody: entry.rawBody };
			const action = faultAction(fault, ctx, { appId: entry.appId, rateLimit: limits?.perSecond ?? REAL_LIMITS.perSecond, request });
			if (action.kind === 'drop') return void req.socket.destroy();
			if (action.kind === 'answer') return send(res, entry, action.answer);
			// A stale delay answers with the data as it was on arrival, as a slow gateway does.
			const early = action.stale ? route(env, entry, ctx) : undefined;
			await sleep(action.ms);
			// The client may have given up meanwhile: then there is no one to answer.
			if (req.socket.destroyed) return;
			if (early) return await respond(res, entry, early);
		}
		await respond(res, entry, route(env, entry, ctx));
	}

	/** Sends the answer, first showing a list page to the hook (onListPage). */
	async function respond(res: ServerResponse, entry: SandboxRequest, answer: Answer): Promise<void> {
		if (listPageHook && entry.path === TASKS_PATH && entry.method === 'GET' && answer.status === 200) {
			const { data } = JSON.parse(answer.body) as { data: { data: Array<{ instance_id: string }>; has_more: boolean } };
			await listPageHook({ request: entry, first: !entry.query.page_token, instanceIds: data.data.map((i) => i.instance_id), hasMore: data.has_more });
		}
		send(res, entry, answer);
	}

	const server = createServer((req, res) => {
		handle(req, res).catch((error: Error) => {
			if (!res.headersSent && !req.socket.destroyed) {
				res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`sandbox error: ${error.message}`);
			}
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const port = (server.address() as AddressInfo).port;

	return {
		baseUrl: `http://127.0.0.1:${port}`,
		port,
		requests,
		addApp: (appId, appSecret, tenant) => state.addApp(appId, appSecret, tenant),
		clearLog: () => void requests.splice(0, requests.length),
		listRequests: () => requests.filter((r) => r.method === 'GET' && r.path === TASKS_PATH),
		tokenRequests: () => requests.filter((r) => r.method === 'POST' && r.path === TOKEN_PATH),
		injectFault: (fault, times = 1, match = {}) => faults.add(fault, times, match.path ?? TASKS_PATH, match.after),
		expireTokens: () => state.expireTokens(),
		syncInstance: (body, tenant) => void state.syncInstance(completeSync(body), tenant),
		storedInstance: (instanceId, tenant) => state.storedInstance(instanceId, tenant),
		deleteApproval: (approvalCode, tenant) => state.deleteDefinition(approvalCode, tenant),
		instanceCount: (tenant) => state.instanceCount(tenant),
		pressAction: async (press) => await pressAction(state, press),
		onListPage: (hook) => {
			listPageHook = hook;
		},
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.close((error) => (error ? reject(error) : resolve()));
				server.closeAllConnections();
				for (const pending of [...delays]) pending.release();
			}),
	};
}

function send(res: ServerResponse, entry: SandboxRequest, answer: Answer): void {
	entry.status = answer.status;
	if (answer.code !== undefined) entry.code = answer.code;
	if (res.destroyed) return;
	res.writeHead(answer.status, {
		'Content-Type': answer.contentType,
		'Content-Length': String(Buffer.byteLength(answer.body)),
		// Every gateway answer names its log id, the handle support asks for [seen].
		'X-Tt-Logid': entry.logId,
		...answer.headers,
	});
	res.end(answer.body);
}

// The list call's filters come as a body on a GET, so every request's body is read [doc].
async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

function parseJson(raw: string): unknown {
	if (raw.trim() === '') return undefined;
	try {
		return JSON.parse(raw);
	} catch {
		return undefined;
	}
}
