import type { Answer, AnswerContext } from './answers';
import { feishuError, fieldValidationFailed, jsonAnswer, notFound, paramInvalid } from './answers';
import { SyncError } from './syncError';
import { filterKey, parseListRequest } from './listQuery';
import type { PageTokens } from './pageToken';
import { APPROVALS_PATH, CHECK_PATH, INSTANCES_PATH, TASKS_PATH, TOKEN_PATH } from './paths';
import type { SlidingWindowLimiter } from './rateLimit';
import { resetHeaderValue } from './rateLimit';
import type { SandboxState } from './state';
import type { SandboxRequest } from './types';

// The endpoints, as functions from a logged request to an answer.

export interface Endpoints {
	state: SandboxState;
	pageTokens: PageTokens;
	limiter?: SlidingWindowLimiter;
	// Whether the rate windows are shorter or longer than the real 1 s / 60 s.
	scaledLimits: boolean;
	now: () => number;
	lastPageToken: boolean;
}

// `request` is the log entry; endpoints record the app they resolved on it.
export function route(env: Endpoints, request: SandboxRequest, ctx: AnswerContext): Answer {
	if (request.path === TOKEN_PATH && request.method === 'POST') return exchangeToken(env, request);
	if (request.path === INSTANCES_PATH && request.method === 'POST') return syncInstance(env, request, ctx);
	if (request.path === CHECK_PATH && request.method === 'POST') return checkInstances(env, request, ctx);
	if (request.path === APPROVALS_PATH && request.method === 'POST') return upsertApproval(env, request, ctx);
	if (request.path.startsWith(`${APPROVALS_PATH}/`) && request.method === 'GET') return getApproval(env, request, ctx);
	if (request.path === TASKS_PATH && request.method === 'GET') return listTasks(env, request, ctx);
	return notFound();
}

// Bad app ids and secrets answer HTTP 200 with a non-zero code [seen].
function exchangeToken(env: Endpoints, request: SandboxRequest): Answer {
	const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
	const result = env.state.exchangeToken(body.app_id, body.app_secret, env.now());
	if (result.code !== 0) return jsonAnswer(200, result);
	request.appId = body.app_id as string;
	return jsonAnswer(200, { code: 0, msg: 'ok', tenant_access_token: result.token, expire: result.expire });
}

// The gateway checks the token before the API sees the request [seen: 99991661 / 99991663, HTTP 400].
function authenticate(env: Endpoints, request: SandboxRequest, ctx: AnswerContext): Answer | string {
	const header = request.headers.authorization;
	const value = Array.isArray(header) ? header[0] : header;
	if (!value || !value.startsWith('Bearer ') || value.slice(7).trim() === '') {
		return feishuError(ctx, 400, 99991661, 'Missing access token for authorization. Please make a request with token attached.');
	}
	const appId = env.state.resolveToken(value.slice(7).trim(), env.now());
	if (!appId) return feishuError(ctx, 400, 99991663, 'Invalid access token for authorization. Please make a request with token attached.');
	return appId;
}

// Runs a write or read of the family for the caller's tenant; a SyncError answers 400 / 1390001
// with the field named [doc: "HTTP 400 + non-zero code"].
function family(env: Endpoints, request: SandboxRequest, ctx: AnswerContext, run: (tenant: string) => Answer): Answer {
	const auth = authenticate(env, request, ctx);
	if (typeof auth !== 'string') return auth;
	try {
		return run(env.state.tenantOf(auth));
	} catch (error) {
		if (!(error instanceof SyncError)) throw error;
		return paramInvalid(ctx, [{ field: error.field, description: error.description }]);
	}
}

// POST external_instances [doc D-inst]: data.data echoes the instance; process_record [sdk].
function syncInstance(env: Endpoints, request: SandboxRequest, ctx: AnswerContext): Answer {
	return family(env, request, ctx, (tenant) => {
		const result = env.state.syncInstance(request.body, tenant);
		return jsonAnswer(200, { code: 0, msg: 'success', data: { data: result.echo, process_record: result.process_record } });
	});
}

// POST external_instances/check [doc D-chk].
function checkInstances(env: Endpoints, request: SandboxRequest, ctx: AnswerContext): Answer {
	return family(env, request, ctx, (tenant) =>
		jsonAnswer(200, { code: 0, msg: 'success', data: { diff_instances: env.state.checkInstances(request.body, tenant) } }),
	);
}

// POST external_approvals [doc D-def]: data.approval_code.
function upsertApproval(env: Endpoints, request: SandboxRequest, ctx: AnswerContext): Answer {
	return family(env, request, ctx, (tenant) => {
		const approvalCode = env.state.upsertDefinition(request.body, request.query, tenant);
		return jsonAnswer(200, { code: 0, msg: 'success', data: { approval_code: approvalCode } });
	});
}

// GET external_approvals/:approval_code [doc D-get]: 1390002 unknown, 1390016 deleted.
function getApproval(env: Endpoints, request: SandboxRequest, ctx: AnswerContext): Answer {
	return family(env, request, ctx, (tenant) => {
		const approvalCode = decodeURIComponent(request.path.slice(APPROVALS_PATH.length + 1));
		if (request.query.user_id_type !== undefined && !['open_id', 'union_id', 'user_id'].includes(request.query.user_id_type)) {
			throw new SyncError('user_id_type', 'must be one of open_id, union_id, user_id');
		}
		const lookup = env.state.getDefinition(approvalCode, tenant);
		if ('missing' in lookup) {
			return lookup.missing === 'unknown'
				? feishuError(ctx, 400, 1390002, 'approval code not found')
				: feishuError(ctx, 400, 1390016, 'approval is deleted');
		}
		return jsonAnswer(200, { code: 0, msg: 'success', data: lookup.found });
	});
}

// Checks in order: token, rate limit, fields, combination, page token; each failure answers
// before any data [doc + feishu-api.md section 2].
function listTasks(env: Endpoints, request: SandboxRequest, ctx: AnswerContext): Answer {
	const auth = authenticate(env, request, ctx);
	if (typeof auth !== 'string') return auth;

	if (env.limiter) {
		const decision = env.limiter.take(auth);
		if (!decision.ok) {
			return feishuError(ctx, 429, 99991400, 'request trigger frequency limit', {}, {
				'x-ogw-ratelimit-limit': String(decision.limit),
				'x-ogw-ratelimit-reset': resetHeaderValue(decision.waitMs, env.scaledLimits),
			});
		}
	}

	const parsed = parseListRequest(request.query, request.rawBody);
	if (!parsed.ok) return parsed.error === 'field' ? fieldValidationFailed(ctx, parsed.violations) : paramInvalid(ctx);
	const { filter, pageSize, pageToken } = parsed.request;
	// A page token is bound to its query, and the query to the caller's tenant.
	const tenant = env.state.tenantOf(auth);
	const key = `${tenant}\u0000${filterKey(filter)}`;
	let offset = 0;
	if (pageToken !== undefined) {
		const decoded = env.pageTokens.decode(pageToken, key);
		if (decoded === undefined) return paramInvalid(ctx);
		offset = decoded;
	}

	const all = env.state.listInstances(filter, tenant, key);
	const page = all.slice(offset, offset + pageSize);
	const next = offset + page.length;
	const hasMore = next < all.length;
	const data: Record<string, unknown> = { data: page };
	if (hasMore || env.lastPageToken) data.page_token = env.pageTokens.encode(next, key);
	data.has_more = hasMore;
	return jsonAnswer(200, { code: 0, msg: 'success', data });
}
