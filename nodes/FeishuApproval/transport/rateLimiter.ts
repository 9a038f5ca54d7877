/**
 * Paces requests per key so that at most `limit` leave in any `ms` window, for every window
 * at once (the list API allows 50/s and 1000/min per app [doc]). Callers wait their turn in
 * arrival order; nothing polls: one timer per waiting key, only while someone waits.
 */
export interface RateWindow {
	limit: number;
	ms: number;
}

export type Sleep = (ms: number) => Promise<void>;

export const sleep: Sleep = async (ms) => await new Promise((resolve) => setTimeout(resolve, ms));

// The gateway counts a strict sliding window on its own clock [guess]; a request's arrival can
// lag its departure, so our windows are a little longer than the gateway's.
export const FEISHU_WINDOWS: RateWindow[] = [
	{ limit: 50, ms: 1_050 },
	{ limit: 1_000, ms: 61_000 },
];

export class RateLimiter {
	/** Departure times per key, oldest first, at most the largest limit long. */
	private readonly sent = new Map<string, number[]>();

	private readonly queues = new Map<string, Promise<void>>();

	private readonly keep: number;

	constructor(
		private readonly windows: RateWindow[] = FEISHU_WINDOWS,
		private readonly now: () => number = Date.now,
		private readonly wait: Sleep = sleep,
	) {
		this.keep = Math.max(...windows.map((w) => w.limit));
	}

	/** Resolves when a request for `key` may leave, and counts it as sent. */
	async acquire(key: string): Promise<void> {
		const previous = this.queues.get(key) ?? Promise.resolve();
		const turn = previous.then(async () => await this.take(key));
		const tail = turn.catch(() => undefined);
		this.queues.set(key, tail);
		try {
			await turn;
		} finally {
			if (this.queues.get(key) === tail) this.queues.delete(key);
		}
	}

	/** How long the next request for `key` would wait now, in ms (0 = at once). */
	delay(key: string): number {
		const sent = this.sent.get(key);
		if (!sent) return 0;
		const now = this.now();
		let delay = 0;
		for (const { limit, ms } of this.windows) {
			if (sent.length < limit) continue;
			// The limit-th most recent departure must have left the window.
			delay = Math.max(delay, sent[sent.length - limit] + ms - now);
		}
		return delay;
	}

	private async take(key: string): Promise<void> {
		for (let delay = this.delay(key); delay > 0; delay = this.delay(key)) await this.wait(delay);
		let sent = this.sent.get(key);
		if (!sent) this.sent.set(key, (sent = []));
		sent.push(this.now());
		if (sent.length > this.keep * 2) sent.splice(0, sent.length - this.keep);
	}
}
