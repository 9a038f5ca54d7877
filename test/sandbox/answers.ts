import { randomBytes } from 'node:crypto';

// An answer as data, so the parts that decide it stay free of HTTP; server.ts writes it.
export interface Answer {
	status: number;
	contentType: string;
	body: string;
	headers?: Record<string, string>;
	// Feishu `code`, for the request log.
	code?: number;
}

export interface FieldViolation {
	field: string;
	value?: string;
	description: string;
}

export interface PermissionViolation {
	type: string;
	subject: string;
	description: string;
}

// Who is being answered: the error block of every JSON error names these.
export interface AnswerContext {
	logId: string;
	methodId?: string;
}

export const JSON_TYPE = 'application/json; charset=utf-8';

// Shape of the gateway's log ids: local time to the second, then upper-case hex [seen].
export function newLogId(nowMs: number): string {
	const d = new Date(nowMs);
	const pad = (n: number) => String(n).padStart(2, '0');
	const stamp =
		String(d.getFullYear()) +
		pad(d.getMonth() + 1) +
		pad(d.getDate()) +
		pad(d.getHours()) +
		pad(d.getMinutes()) +
		pad(d.getSeconds());
	return stamp + randomBytes(10).toString('hex').toUpperCase();
}

export function jsonAnswer(status: number, payload: { code: number } & Record<string, unknown>, headers?: Record<string, string>): Answer {
	return { status, contentType: JSON_TYPE, body: JSON.stringify(payload), headers, code: payload.code };
}

// Error bodies carry `error.log_id` and a troubleshooter link, plus violations where relevant [seen].
export function feishuError(
	ctx: AnswerContext,
	status: number,
	code: number,
	msg: string,
	extra: { field_violations?: FieldViolation[]; permission_violations?: PermissionViolation[] } = {},
	headers?: Record<string, string>,
): Answer {
	const link = new URL('https://open.feishu.cn/search');
	link.searchParams.set('from', 'openapi');
	link.searchParams.set('log_id', ctx.logId);
	link.searchParams.set('code', String(code));
	link.searchParams.set('method_id', ctx.methodId ?? '');
	const error = {
		log_id: ctx.logId,
		troubleshooter: `排查建议查看(Troubleshooting suggestions): ${link.toString()}`,
		...extra,
	};
	return jsonAnswer(status, { code, msg, error }, headers);
}

// What the real gateway answers for an unknown path or method: Go's plain-text 404 [seen].
export function notFound(): Answer {
	return { status: 404, contentType: 'text/plain; charset=utf-8', body: '404 page not found' };
}

// The documented error of the approval APIs [doc].
export function paramInvalid(ctx: AnswerContext, fieldViolations?: FieldViolation[]): Answer {
	return feishuError(ctx, 400, 1390001, 'param is invalid', fieldViolations ? { field_violations: fieldViolations } : {});
}

export function fieldValidationFailed(ctx: AnswerContext, violations: FieldViolation[]): Answer {
	return feishuError(ctx, 400, 99992402, 'field validation failed', { field_violations: violations });
}
