import { setTimeout as delay } from 'node:timers/promises';

import type { ICredentialDataDecryptedObject, INodeCredentialTestResult, JsonObject } from 'n8n-workflow';

import type { HttpResponse, TimeLimits } from './client';
import { send } from './client';
import type { FeishuApp } from './credentials';
import { appFromCredential } from './credentials';
import type { Outcome } from './errors';
import { classify, classifyNetworkError, describe, FeishuApiError, redactDetails } from './errors';
import { RateLimiter } from './rateLimiter';
import type { RetryOptions } from './retryPolicy';
import { DEFAULT_RETRY, mayHaveBeenApplied, retryDelay } from './retryPolicy';
import { TokenCache } from './tokenCache';

// Module level, so every execution in the process shares them (Octokit's throttling groups).
export const tokenCache = new TokenCache();
export const rateLimiter = new RateLimiter();

// A URL path, not a secret: n8n's secret rule matches the word TOKEN in the name.
// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets
export const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';

export interface CallOptions {
	limits?: TimeLimits;
	retry?: RetryOptions;
	/**
	 * Stops the call where it stands, in flight or between retries, and rejects with the signal's
	 * reason: a deadline over all of a call's retries and waits, which no single time limit gives.
	 */
	signal?: AbortSignal;
}

interface Call {
	method: 'GET' | 'POST';
	path: string;
	json?: unknown;
	/** Says what was being done, in error headlines. */
	action: string;
	/** Secrets the body carries besides the app's (a definition's callback token and key): masked in errors. */
	secrets?: string[];
	/**
	 * False for a request that must not reach the server twice (an instance REPLACE): it is retried
	 * only after failures that prove the first attempt was not applied (retryPolicy.mayHaveBeenApplied).
	 */
	repeatable?: boolean;
}

/** One attempt: its HTTP answer classified, or a network failure classified. */
async function attempt(app: FeishuApp, call: Call, headers: Record<string, string>, options: CallOptions): Promise<Outcome> {
	let response: HttpResponse;
	try {
		response = await send({ method: call.method, origin: app.origin, path: call.path, headers, json: call.json, limits: options.limits, signal: options.signal });
	} catch (error) {
		// An abort is the caller's decision, not a network failure to retry.
		options.signal?.throwIfAborted();
		return classifyNetworkError(error as Error);
	}
	return classify(response);
}

/**
 * Runs `once` under the retry policy; every try counts against the budget of the policy. The
 * error it throws has every secret of the exchange masked (the app secret, the tenant tokens sent,
 * the body's own secrets): a server may echo the request, in an HTML page or in `msg`.
 */
async function withRetries(call: Call, app: FeishuApp, options: CallOptions, once: () => Promise<Outcome>, tokens: readonly string[] = []): Promise<JsonObject> {
	for (let failures = 0; ; failures++) {
		options.signal?.throwIfAborted();
		const outcome = await once();
		if (outcome.kind === 'ok') return outcome.body;
		const notRepeated = call.repeatable === false && mayHaveBeenApplied(outcome);
		const wait = notRepeated ? undefined : retryDelay(outcome, failures, options.retry ?? DEFAULT_RETRY);
		if (wait === undefined) {
			const secrets = [app.appSecret, ...tokens, ...(call.secrets ?? [])];
			const details = { ...outcome.error, action: call.action, appId: app.appId, notRepeated: notRepeated || undefined };
			throw new FeishuApiError(redactDetails(details, secrets));
		}
		// Stops the moment the signal aborts, instead of sleeping out a 429's reset; rejects with the
		// signal's reason like every other abort here (timers/promises would reject with AbortError).
		await delay(wait, undefined, { signal: options.signal }).catch((error: unknown) => {
			options.signal?.throwIfAborted();
			throw error;
		});
	}
}

/** Exchanges app id + secret for a tenant_access_token [doc]. Idempotent, so retried. */
export async function exchangeToken(app: FeishuApp, options: CallOptions = {}): Promise<{ token: string; expireSeconds: number }> {
	const call: Call = {
		method: 'POST',
		path: TOKEN_PATH,
		json: { app_id: app.appId, app_secret: app.appSecret },
		action: 'Getting a tenant access token',
	};
	const body = await withRetries(call, app, options, async () => await attempt(app, call, {}, options));
	const token = body.tenant_access_token;
	if (typeof token !== 'string' || !token) {
		throw new FeishuApiError({ msg: 'The token exchange answered without a tenant_access_token', action: call.action, appId: app.appId });
	}
	return { token, expireSeconds: typeof body.expire === 'number' ? body.expire : 7200 };
}

/**
 * An authorized, rate-limited, retried call. A refused token (99991663 and kin) is dropped and
 * exchanged once more, then the request is retried once: Feishu never answers 401 [seen].
 */
export async function feishuRequest(app: FeishuApp, call: Call, options: CallOptions = {}): Promise<JsonObject> {
	let refreshed = false;
	const tokens: string[] = [];
	const once = async (): Promise<Outcome> => {
		// The exchange is shared by every caller waiting on this key, so one caller's signal must not
		// abort it for the others; its own limits and retries bound it.
		const token = await tokenCache.get(app.key, async () => await exchangeToken(app, { ...options, signal: undefined }));
		tokens.push(token);
		const release = await rateLimiter.acquire(app.key);
		let outcome: Outcome | undefined;
		try {
			outcome = await attempt(app, call, { authorization: `Bearer ${token}` }, options);
		} finally {
			// A 429 tells the limiter the app's budget is shared with other processes.
			release(outcome?.kind === 'rateLimited' ? { limit: outcome.limit } : undefined);
		}
		if (outcome.kind === 'tokenInvalid') {
			tokenCache.invalidate(app.key, token);
			if (!refreshed) {
				refreshed = true;
				return await once();
			}
			return { kind: 'fatal', error: outcome.error };
		}
		return outcome;
	};
	return await withRetries(call, app, options, once, tokens);
}

/** n8n's credential "Test" button: a real token exchange, failing with Feishu's own message. */
export async function testCredential(data: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult> {
	try {
		const app = appFromCredential(data);
		// No retries: the user is waiting on the button, and a wrong secret will not heal.
		await exchangeToken(app, { retry: { ...DEFAULT_RETRY, retries: 0 } });
		return { status: 'OK', message: 'Connection successful: Feishu issued a tenant access token' };
	} catch (error) {
		if (error instanceof FeishuApiError) return { status: 'Error', message: `${error.message}. ${describe(error.details)}` };
		return { status: 'Error', message: (error as Error).message };
	}
}
