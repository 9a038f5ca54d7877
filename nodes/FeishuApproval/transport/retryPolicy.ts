import type { Outcome } from './errors';

/**
 * Decides, for one failed attempt, how long to wait before the next, or that there is none.
 * Pure: randomness is injected so tests are exact.
 */
export interface RetryOptions {
	/** Attempts after the first. */
	retries: number;
	/** Backoff base for attempt 0; attempt n waits up to base * 2^n (full jitter). */
	baseMs: number;
	capMs: number;
	/** Longest `x-ogw-ratelimit-reset` we honour before giving up. */
	maxResetMs: number;
	random: () => number;
}

export const DEFAULT_RETRY: RetryOptions = {
	retries: 4,
	baseMs: 250,
	capMs: 8_000,
	maxResetMs: 65_000,
	random: Math.random,
};

/** `attempt` counts failures so far, from 0. Returns the wait in ms, or undefined to give up. */
export function retryDelay(outcome: Outcome, attempt: number, options: RetryOptions = DEFAULT_RETRY): number | undefined {
	if (attempt >= options.retries) return undefined;
	if (outcome.kind === 'rateLimited' && outcome.resetSeconds !== undefined) {
		const wait = Math.max(1, Math.ceil(outcome.resetSeconds * 1000));
		if (wait > options.maxResetMs) return undefined;
		// Plus up to half again at random: every refused request would otherwise come back after the
		// same whole second, in step with a window that another process refills each second.
		return wait + Math.floor(options.random() * (wait / 2));
	}
	if (outcome.kind === 'rateLimited' || outcome.kind === 'transient') {
		const ceiling = Math.min(options.capMs, options.baseMs * 2 ** attempt);
		return Math.floor(options.random() * ceiling);
	}
	return undefined;
}

/** Socket failures that happen before a request is sent: nothing reached the server. */
const NEVER_SENT = new Set(['UND_ERR_CONNECT_TIMEOUT', 'ECONNREFUSED']);
/** Feishu's own "failed, try again" codes: its application layer answered that it did nothing [doc: 1395001]. */
const FEISHU_TRY_AGAIN = new Set([1395001, 1500, 1000003]);

/**
 * Whether the failed attempt may have been applied by the server: a time-out or a reset after the
 * request left, or a gateway's 5xx, leaves that open. A rate limit, a refused token, a connection
 * never made and Feishu's own "try again" codes do not. A request that must not be applied twice
 * (a REPLACE) is retried only when this is false.
 */
export function mayHaveBeenApplied(outcome: Outcome): boolean {
	if (outcome.kind === 'ok') return true;
	if (outcome.kind === 'rateLimited' || outcome.kind === 'tokenInvalid') return false;
	const { networkCode, code } = outcome.error;
	if (networkCode !== undefined) return !NEVER_SENT.has(networkCode);
	return code === undefined || !FEISHU_TRY_AGAIN.has(code);
}
