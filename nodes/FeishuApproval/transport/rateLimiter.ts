import { sleep as n8nSleep } from 'n8n-workflow';

/**
 * Paces requests per key so that at most `limit` reach the gateway in any `ms` window, for every
 * window at once (the list API allows 50/s and 1000/min per app [doc]). Callers wait their turn
 * in arrival order; nothing polls: one timer per waiting key, only while someone waits.
 *
 * The gateway counts arrivals, which can lag departures (a busy event loop, a queued socket).
 * So a request counts from the moment its answer came back, the latest it can have arrived; one
 * still in flight counts as "now". Then no lag on our side can put more than `limit` arrivals
 * into one of the gateway's windows, and on a quick network the cost is one round trip per window.
 */
export interface RateWindow {
	limit: number;
	ms: number;
}

export type Sleep = (ms: number) => Promise<void>;

// n8n-workflow's sleep rather than a bare setTimeout: n8n's community-node lint restricts timer globals.
export const sleep: Sleep = async (ms) => await n8nSleep(ms);

// A little over the gateway's 1 s and 60 s [doc]: timers and clocks are only good to a few ms.
export const FEISHU_WINDOWS: RateWindow[] = [
	{ limit: 50, ms: 1_020 },
	{ limit: 1_000, ms: 60_100 },
];

/** Call when the answer is in (or the request failed): the slot then counts from this moment. */
export type Release = () => void;

interface Slot {
	at: number;
	inFlight: boolean;
}

export class RateLimiter {
	/** Slots per key in departure order; pruned once they are older than every window. */
	private readonly sent = new Map<string, Slot[]>();

	private readonly queues = new Map<string, Promise<unknown>>();

	private readonly longest: number;

	constructor(
		private readonly windows: RateWindow[] = FEISHU_WINDOWS,
		private readonly now: () => number = Date.now,
		private readonly wait: Sleep = sleep,
	) {
		this.longest = Math.max(...windows.map((w) => w.ms));
	}

	/** Resolves when a request for `key` may leave; counts it as sent until `release` dates it. */
	async acquire(key: string): Promise<Release> {
		const previous = this.queues.get(key) ?? Promise.resolve();
		const turn = previous.then(async () => await this.take(key));
		const tail = turn.catch(() => undefined);
		this.queues.set(key, tail);
		try {
			return await turn;
		} finally {
			if (this.queues.get(key) === tail) this.queues.delete(key);
		}
	}

	/** How long the next request for `key` would wait now, in ms (0 = at once). */
	delay(key: string): number {
		const slots = this.sent.get(key);
		if (!slots) return 0;
		const now = this.now();
		// Most recent first; a request in flight may arrive any moment, so it counts as now.
		const times = slots.map((slot) => (slot.inFlight ? now : slot.at)).sort((a, b) => b - a);
		let delay = 0;
		for (const { limit, ms } of this.windows) {
			if (times.length < limit) continue;
			// The limit-th most recent request must have left the window.
			delay = Math.max(delay, times[limit - 1] + ms - now);
		}
		return delay;
	}

	private async take(key: string): Promise<Release> {
		for (let delay = this.delay(key); delay > 0; delay = this.delay(key)) await this.wait(delay);
		const now = this.now();
		let slots = this.sent.get(key);
		if (!slots) this.sent.set(key, (slots = []));
		const slot: Slot = { at: now, inFlight: true };
		slots.push(slot);
		if (slots.length > 64 && !slots[0].inFlight && slots[0].at < now - this.longest) {
			const fresh = slots.filter((s) => s.inFlight || s.at >= now - this.longest);
			this.sent.set(key, fresh);
		}
		return () => {
			slot.at = Math.max(slot.at, this.now());
			slot.inFlight = false;
		};
	}
}
