/**
 * tenant_access_token per credential key, shared by every execution in the process.
 * One exchange in flight per key; a token is replaced `marginMs` before it expires, because
 * Feishu only hands out a new token once the old one has under 30 minutes left [doc] and a
 * request must never leave with a token about to lapse.
 */
export interface IssuedToken {
	token: string;
	/** Lifetime in seconds, as the exchange's `expire` says. */
	expireSeconds: number;
}

interface Entry {
	token: string;
	refreshAt: number;
}

export class TokenCache {
	private readonly tokens = new Map<string, Entry>();

	private readonly inFlight = new Map<string, Promise<string>>();

	constructor(
		private readonly now: () => number = Date.now,
		private readonly marginMs = 5 * 60_000,
	) {}

	/** The cached token for `key`, or the one a single shared call of `exchange` gets. */
	async get(key: string, exchange: () => Promise<IssuedToken>): Promise<string> {
		const entry = this.tokens.get(key);
		if (entry && this.now() < entry.refreshAt) return entry.token;
		let pending = this.inFlight.get(key);
		if (!pending) {
			pending = this.fetch(key, exchange);
			this.inFlight.set(key, pending);
		}
		return await pending;
	}

	/** Forgets `token` (refused by the API); a newer token fetched meanwhile is kept. */
	invalidate(key: string, token: string): void {
		if (this.tokens.get(key)?.token === token) this.tokens.delete(key);
	}

	private async fetch(key: string, exchange: () => Promise<IssuedToken>): Promise<string> {
		try {
			const issued = await exchange();
			const lifetimeMs = issued.expireSeconds * 1000;
			// A token shorter-lived than the margin is still used once, for at most half its life.
			const refreshIn = lifetimeMs > this.marginMs * 2 ? lifetimeMs - this.marginMs : lifetimeMs / 2;
			this.tokens.set(key, { token: issued.token, refreshAt: this.now() + refreshIn });
			return issued.token;
		} finally {
			this.inFlight.delete(key);
		}
	}
}
