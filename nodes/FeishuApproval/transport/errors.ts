import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { HttpResponse } from './client';
import { MASK } from './maskSecrets';

/** What the transport learned from one failed exchange, in Feishu's own terms. */
export interface FeishuErrorDetails {
	/** Feishu `code`; undefined when the answer was not Feishu JSON. */
	code?: number;
	msg: string;
	httpStatus?: number;
	logId?: string;
	troubleshooter?: string;
	permissionViolations?: Array<{ type?: string; subject?: string; description?: string }>;
	fieldViolations?: Array<{ field?: string; value?: string; description?: string }>;
	/** The start of a body that was not JSON. */
	bodyStart?: string;
	/** A socket-level failure (reset, time-out) instead of an answer. */
	networkCode?: string;
	/** Who asked, to name in token errors (never the secret). */
	appId?: string;
	/** What the caller was doing, e.g. "Listing third-party approval tasks". */
	action?: string;
	/** The request may have been applied, and was not sent again because it must not be applied twice. */
	notRepeated?: boolean;
}

/** Error raised inside the transport; turned into a NodeApiError by `toNodeError`. */
export class FeishuApiError extends Error {
	constructor(readonly details: FeishuErrorDetails) {
		super(headline(details));
		this.name = 'FeishuApiError';
	}
}

/** Classification of one answer, asked of the retry policy (Octokit's plugin-retry shape). */
export type Outcome =
	| { kind: 'ok'; body: JsonObject }
	| { kind: 'rateLimited'; resetSeconds?: number; limit?: number; error: FeishuErrorDetails }
	| { kind: 'tokenInvalid'; error: FeishuErrorDetails }
	| { kind: 'transient'; error: FeishuErrorDetails }
	| { kind: 'fatal'; error: FeishuErrorDetails };

const TOKEN_INVALID = new Set([99991663, 99991664, 99991671]);
// 1395001 "try again later" [doc]; 1500 / 1000003 internal errors [seen].
const TRANSIENT = new Set([1395001, 1500, 1000003]);
const RATE_LIMITED = 99991400;
const TRANSIENT_NETWORK = new Set([
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
	'UND_ERR_SOCKET',
	'ECONNRESET',
	'ECONNREFUSED',
	'EPIPE',
	'ETIMEDOUT',
]);

function header(response: HttpResponse, name: string): string | undefined {
	const value = response.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

/** Reads one HTTP answer: success, or which kind of failure. */
export function classify(response: HttpResponse): Outcome {
	const logId = header(response, 'x-tt-logid') ?? header(response, 'x-request-id');
	let body: JsonObject | undefined;
	try {
		const parsed: unknown = JSON.parse(response.text);
		if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as JsonObject;
	} catch {
		body = undefined;
	}
	if (!body || typeof body.code !== 'number') {
		const error: FeishuErrorDetails = {
			msg: `The server answered HTTP ${response.status} with a body that is not Feishu JSON`,
			httpStatus: response.status,
			logId,
			// Masked before it is cut, so a secret cut in half is still masked.
			bodyStart: redact(response.text.slice(0, 1000), secretValuesIn(body)).slice(0, 200),
		};
		if (response.status === 429) return { kind: 'rateLimited', resetSeconds: resetOf(response), limit: limitOf(response), error };
		return { kind: response.status >= 500 ? 'transient' : 'fatal', error };
	}
	const code = body.code;
	if (code === 0 && response.status < 400) return { kind: 'ok', body };
	const extra = (body.error ?? {}) as JsonObject;
	const error: FeishuErrorDetails = redactDetails({
		code,
		msg: typeof body.msg === 'string' ? body.msg : '',
		httpStatus: response.status,
		logId: logId ?? (typeof extra.log_id === 'string' ? extra.log_id : undefined),
		troubleshooter: typeof extra.troubleshooter === 'string' ? extra.troubleshooter : undefined,
		permissionViolations: Array.isArray(extra.permission_violations)
			? (extra.permission_violations as FeishuErrorDetails['permissionViolations'])
			: undefined,
		fieldViolations: Array.isArray(extra.field_violations)
			? (extra.field_violations as FeishuErrorDetails['fieldViolations'])
			: undefined,
	}, secretValuesIn(body));
	if (code === RATE_LIMITED || response.status === 429) {
		return { kind: 'rateLimited', resetSeconds: resetOf(response), limit: limitOf(response), error };
	}
	if (TOKEN_INVALID.has(code)) return { kind: 'tokenInvalid', error };
	if (TRANSIENT.has(code) || response.status >= 500) return { kind: 'transient', error };
	return { kind: 'fatal', error };
}

/** A socket failure (reset, time-out) as an outcome: transient when retrying can help. */
export function classifyNetworkError(error: Error & { code?: string }): Outcome {
	const networkCode = error.code ?? error.name;
	const details: FeishuErrorDetails = {
		msg: `The connection failed (${networkCode}): ${error.message}`,
		networkCode,
	};
	return { kind: TRANSIENT_NETWORK.has(networkCode) ? 'transient' : 'fatal', error: details };
}

/** `x-ogw-ratelimit-limit`: the limit of the window that refused (50 or 1000 [doc]). */
function limitOf(response: HttpResponse): number | undefined {
	const value = Number(header(response, 'x-ogw-ratelimit-limit'));
	return Number.isInteger(value) && value > 0 ? value : undefined;
}

function resetOf(response: HttpResponse): number | undefined {
	const value = Number(header(response, 'x-ogw-ratelimit-reset'));
	return Number.isFinite(value) && value >= 0 ? value : undefined;
}

function headline(details: FeishuErrorDetails): string {
	const what = details.action ? `${details.action} failed: ` : '';
	if (details.code !== undefined) return `${what}${details.msg || 'Feishu error'} (code ${details.code})`;
	return `${what}${details.msg}`;
}

/** What the user should do about a code; Feishu's own text is often terse. */
const ADVICE: Record<number, string> = {
	10003: 'The App ID is not known to Feishu. Check the App ID in the credential and the region (Feishu or Lark).',
	10014: 'The App Secret does not match the App ID. Copy it again from the developer console (Credentials & Basic Info) into the credential.',
	99991401: "The n8n server's IP address is not on the app's IP allow-list. Add it in the developer console under Security Settings, or remove the allow-list.",
	99991672: 'The app lacks a permission scope. Grant one of the scopes below in the developer console (Permissions & Scopes), then publish a new app version so it takes effect.',
	99991400: 'Feishu rate-limited the app (50 requests/second, 1000/minute for this API) and retries did not get through. Run fewer executions at once or poll less often.',
	1390001:
		'Feishu rejected a parameter (any field it names is listed below). Check the approval codes, instance and task IDs, user IDs, statuses and times, and that a page token belongs to its query.',
	1390002: 'Feishu knows no third-party approval definition with this approval code. Create it first with Third-Party Approval Definition > Create or Update, or check the code and the app (definitions belong to the app that created them).',
	1390016: 'This third-party approval definition was deleted in Feishu. Create it again with Create or Update, or use another approval code.',
	// Documented as "tenant_id not found" now, as "Do not synchronize the same approval instance for a short period of time!" in 2023 [doc, M-apifox].
	1390014:
		'Feishu refused the sync: either the tenant was not found, or the same instance was synced too often in a short time. Wait a little before syncing this instance again.',
	99992402: 'Feishu rejected a field value (see below). Fix the parameter it names.',
	99991663: 'The access token was refused even after fetching a new one. Check that the app is enabled and that the credential points at the right region.',
	1395001: 'Feishu reported a temporary failure and retries did not help. Try again later.',
};

/** Fields that hold a secret the user set: the definition's callback token and key. */
const SECRET_FIELD = /(token|key|secret)$/i;
/** Names of fields whose values are secrets wherever an answer carries them [doc https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/approval-v4/external_approval/get, and the token exchange]. */
const SECRET_NAMES = /^(app_secret|tenant_access_token|app_access_token|action_callback_token|action_callback_key|token|encrypt_key)$/i;

/** Secret values found in a parsed answer (a server may echo the request it refused). */
export function secretValuesIn(value: unknown, found: string[] = [], depth = 0): string[] {
	if (depth > 32 || !value || typeof value !== 'object') return found;
	for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
		if (SECRET_NAMES.test(key) && typeof entry === 'string' && entry) found.push(entry);
		else secretValuesIn(entry, found, depth + 1);
	}
	return found;
}

/** The forms a secret takes in text a server writes back: as is, JSON-escaped, URL-encoded. */
function secretForms(secret: string): string[] {
	return [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)];
}

/**
 * `text` with every occurrence of each secret replaced by the mask. Longest first, so a secret
 * that contains another is masked whole. Secrets under 4 characters are left alone: they would
 * mask ordinary words, and no real secret is that short.
 */
export function redact(text: string, secrets: readonly string[]): string {
	const forms = [...new Set(secrets.filter((s) => s.length >= 4).flatMap(secretForms))].sort((a, b) => b.length - a.length);
	let out = text;
	for (const form of forms) if (out.includes(form)) out = out.split(form).join(MASK);
	return out;
}

/** Every text of the details with the secrets masked: what a server echoed never reaches an error. */
export function redactDetails(details: FeishuErrorDetails, secrets: readonly string[]): FeishuErrorDetails {
	const r = (text: string | undefined) => (text === undefined ? undefined : redact(text, secrets));
	return {
		...details,
		msg: redact(details.msg, secrets),
		bodyStart: r(details.bodyStart),
		troubleshooter: r(details.troubleshooter),
		permissionViolations: details.permissionViolations?.map((v) => ({ ...v, subject: r(v.subject), description: r(v.description) })),
		fieldViolations: details.fieldViolations?.map((v) => ({ ...v, value: r(v.value), description: r(v.description) })),
	};
}

/** Builds the user-facing description: log id, advice, scopes, fields; never a secret or token. */
export function describe(details: FeishuErrorDetails): string {
	const lines: string[] = [];
	if (details.code !== undefined && ADVICE[details.code]) lines.push(ADVICE[details.code]);
	else if (details.bodyStart !== undefined)
		lines.push(
			`HTTP ${details.httpStatus}: "${details.bodyStart}". Check the base URL in the credential: it must be the Open Platform origin (e.g. https://open.feishu.cn), without /open-apis.`,
		);
	else if (details.networkCode)
		lines.push('Check that the base URL is reachable from the n8n server, or raise the Timeout option.');
	else if (details.httpStatus && details.httpStatus >= 500)
		lines.push('Feishu had a server error and retries did not help. Try again later.');
	if (details.notRepeated) {
		lines.push(
			'The request may have reached Feishu and been applied. It was not sent again: a repeated REPLACE could overwrite a newer sync written meanwhile. Check the instance (Third-Party Approval Instance → Check) and sync it again if needed, or use Update Mode UPDATE, which is safe to repeat.',
		);
	}
	if (details.permissionViolations?.length) {
		const scopes = details.permissionViolations.map((v) => v.subject).filter(Boolean);
		lines.push(`Missing scopes (grant any one): ${scopes.join(', ')}.`);
	}
	if (details.fieldViolations?.length) {
		// A rejected callback token or key must not be echoed into the error.
		const fields = details.fieldViolations.map(
			(v) => `${v.field}${v.value !== undefined ? ` = ${SECRET_FIELD.test(v.field ?? '') ? MASK : v.value}` : ''}: ${v.description ?? ''}`,
		);
		lines.push(`Invalid fields: ${fields.join('; ')}.`);
	}
	if (details.appId) lines.push(`App ID: ${details.appId}.`);
	if (details.logId) lines.push(`Log ID (quote it to Feishu support): ${details.logId}.`);
	if (details.troubleshooter) lines.push(details.troubleshooter);
	return lines.join(' ');
}

/** The one place that turns any transport failure into the error n8n shows. */
export function toNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	if (error instanceof FeishuApiError) {
		const d = error.details;
		return new NodeApiError(node, { code: d.code ?? null, msg: d.msg, log_id: d.logId ?? null } as JsonObject, {
			message: error.message,
			description: describe(d),
			httpCode: d.httpStatus !== undefined ? String(d.httpStatus) : undefined,
			itemIndex,
		});
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}
