import { STATUS_CODES } from 'node:http';
import type { Answer, AnswerContext } from './answers';
import { feishuError, jsonAnswer, notFound } from './answers';
import type { Fault } from './types';

// Injected faults: a queue of "the next N requests to this path get this", and what each answers.

interface QueuedFault {
	fault: Fault;
	left: number;
	path: string;
	// Matching requests still to let through before the fault starts.
	skip: number;
}

export class FaultQueue {
	private readonly queue: QueuedFault[] = [];

	add(fault: Fault, times: number, path: string, after = 0): void {
		if (times > 0) this.queue.push({ fault, left: times, path, skip: after });
	}

	// The first queued fault for this path, consuming one of its uses.
	take(path: string): Fault | undefined {
		const index = this.queue.findIndex((q) => q.path === path);
		if (index < 0) return undefined;
		const queued = this.queue[index];
		if (queued.skip > 0) {
			queued.skip--;
			return undefined;
		}
		if (--queued.left === 0) this.queue.splice(index, 1);
		return queued.fault;
	}
}

// What gets done instead of (or before) the normal answer.
export type FaultAction = { kind: 'answer'; answer: Answer } | { kind: 'delay'; ms: number; stale: boolean } | { kind: 'drop' };

const DEFAULT_CODE_MSGS: Record<number, string> = {
	1390001: 'param is invalid',
	1395001: 'some errors, try again later',
	1500: 'internal error',
	1000003: 'internal error',
	99991400: 'request trigger frequency limit',
	99991661: 'Missing access token for authorization. Please make a request with token attached.',
	99991663: 'Invalid access token for authorization. Please make a request with token attached.',
	99991664: 'Invalid app access token.',
	99991671: 'Invalid token format.',
	99991401: 'You are not allowed to access this api, ip is denied.',
};

// The scopes of which any one allows the list call [doc].
const LIST_SCOPES: [string, string][] = [
	['approval:external_task', '查看、创建、更新、删除三方审批任务相关信息'],
	['approval:approval', '查看、创建、更新、删除审批应用相关信息'],
	['approval:approval:readonly', '访问审批应用'],
];

/** What an echo fault repeats of the request. */
export interface EchoedRequest {
	method: string;
	path: string;
	authorization?: string;
	rawBody: string;
}

export function faultAction(fault: Fault, ctx: AnswerContext, extra: { appId?: string; rateLimit: number; request?: EchoedRequest }): FaultAction {
	switch (fault.type) {
		case 'echo': {
			const r = extra.request ?? { method: '', path: '', rawBody: '' };
			const text = `${r.method} ${r.path} authorization: ${r.authorization ?? '-'} body: ${r.rawBody}`;
			if (fault.as === 'json') return { kind: 'answer', answer: feishuError(ctx, fault.status ?? 400, 1390001, `param is invalid: ${text}`) };
			return { kind: 'answer', answer: { status: fault.status ?? 500, contentType: 'text/html', body: `<html><body><h1>Internal Server Error</h1><pre>${text}</pre></body></html>` } };
		}
		case 'http':
			return { kind: 'answer', answer: httpFault(fault.status, ctx) };
		case 'code':
			return {
				kind: 'answer',
				answer: feishuError(ctx, fault.httpStatus ?? 400, fault.code, fault.msg ?? DEFAULT_CODE_MSGS[fault.code] ?? 'error'),
			};
		case 'rateLimited': {
			const headers: Record<string, string> = { 'x-ogw-ratelimit-limit': String(extra.rateLimit) };
			const reset = fault.resetSeconds === undefined ? 1 : fault.resetSeconds;
			if (reset !== null) headers['x-ogw-ratelimit-reset'] = String(reset);
			return { kind: 'answer', answer: feishuError(ctx, 429, 99991400, 'request trigger frequency limit', {}, headers) };
		}
		case 'permission':
			return { kind: 'answer', answer: permissionDenied(ctx, extra.appId ?? 'cli_xxx') };
		case 'fieldValidation':
			return {
				kind: 'answer',
				answer: feishuError(ctx, 400, 99992402, 'field validation failed', {
					field_violations: [{ field: 'page_size', value: '9999', description: 'the max value is 500' }],
				}),
			};
		case 'notFound':
			return { kind: 'answer', answer: notFound() };
		case 'delay':
			return { kind: 'delay', ms: fault.ms, stale: fault.stale ?? false };
		case 'drop':
			return { kind: 'drop' };
		case 'json':
			return { kind: 'answer', answer: jsonAnswer(fault.status ?? 200, fault.body) };
	}
}

// A load balancer in front of the gateway answers 502/503/504 with an HTML page, not JSON [seen
// on many gateways; guess for Feishu]; other statuses come from the gateway itself, as JSON.
function httpFault(status: number, ctx: AnswerContext): Answer {
	const reason = STATUS_CODES[status] ?? 'Error';
	if (status === 502 || status === 503 || status === 504) {
		return {
			status,
			contentType: 'text/html',
			body: `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n</body>\r\n</html>\r\n`,
		};
	}
	return feishuError(ctx, status, status, reason);
}

// 99991672 with the scopes to open, any one of them [seen].
function permissionDenied(ctx: AnswerContext, appId: string): Answer {
	const scopes = LIST_SCOPES.map(([scope]) => scope).join(', ');
	const msg =
		`Access denied. One of the following scopes is required: [${scopes}].` +
		`应用尚未开通所需的应用身份权限：[${scopes}]，点击链接申请并开通任一权限即可：` +
		`https://open.feishu.cn/app/${appId}/auth?q=${encodeURIComponent(scopes.replace(/ /g, ''))}&op_from=openapi&token_type=tenant`;
	return feishuError(ctx, 400, 99991672, msg, {
		permission_violations: LIST_SCOPES.map(([subject, name]) => ({
			type: 'action_scope_required',
			subject,
			description: `应用身份需要开通此权限 (the app identity needs this scope): ${name}`,
		})),
	});
}
