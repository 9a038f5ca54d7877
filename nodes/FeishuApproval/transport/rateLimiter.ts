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
 *
 * Past half of a paced window, requests leave evenly spaced rather than in one burst: a
 * burst fills the gateway's window at its start and leaves another process on the app nothing but
 * refusals until it empties (and, since a 429 says "come back in a whole second", in step with it).
 *
 * Other processes may spend the same app's budget (n8n's queue-mode workers, other hosts): the
 * gateway counts them all, each process only itself. So a refusal (429) teaches the limiter its
 * share of the window that refused (`x-ogw-ratelimit-limit` names it; the shortest when it does
 * not): that window was full, and a little less than what it accepted from us is what we may send
 * there from now on (see `Recovery`). The other windows keep their limits: a share of the minute
 * learnt from a refusal of the second would hold back everything sent in the last minute. The
 * share grows back while no refusal comes, so a process left alone regains the whole budget.
 * Figures: `npm run bench:workers`, test/bench/RESULTS.md section 6.
 */
export interface RateWindow {
	limit: number;
	ms: number;
	/** Past half of its limit, requests leave evenly spaced (see above). */
	paced?: boolean;
}

export type Sleep = (ms: number) => Promise<void>;

// n8n-workflow's sleep rather than a bare setTimeout: n8n's community-node lint restricts timer globals.
export const sleep: Sleep = async (ms) => await n8nSleep(ms);

// A little over the gateway's 1 s and 60 s [doc]: timers and clocks are only good to a few ms.
export const FEISHU_WINDOWS: RateWindow[] = [
	{ limit: 50, ms: 1_020, paced: true },
	{ limit: 1_000, ms: 60_100 },
];

/** A 429: `limit` is the limit of the window that refused, when the gateway said it. */
export interface Refusal {
	limit?: number;
}

/**
 * Call when the answer is in (or the request failed): the slot then counts from this moment.
 * A `refusal` (429) teaches the limiter its share of the budget.
 */
export type Release = (refusal?: Refusal) => void;

interface Slot {
	at: number;
	/** When it left: a refusal of a request sent before the last lesson teaches nothing new. */
	left: number;
	inFlight: boolean;
	refused: boolean;
}

/** Our share of the app's budget: `share` when it was learnt at `since`, growing back from then. */
interface Share {
	share: number;
	since: number;
}

/**
 * How a learnt share is spent and regained. After a refusal we keep to `backoff` of what the full
 * window accepted from us: with exactly that, a process already at full speed gives way one
 * request per refusal, and one that joins later waits long for its turn. For `holdMs` the share
 * stays; then it grows by one request a window, doubling every `doublingMs`. Processes that share
 * the app meet a refusal every few seconds; one left alone has the whole budget back about a
 * second after the hold.
 */
export interface Recovery {
	backoff: number;
	holdMs: number;
	doublingMs: number;
}

export const SHARE_RECOVERY: Recovery = { backoff: 0.95, holdMs: 2_000, doublingMs: 250 };

/**
 * The least share a refusal can teach: up to ten processes on one app each get their due. Below
 * it a 429 that says little (our own requests were few: another system's burst, the minute window
 * of someone else) would slow a poll or an execution to a crawl; more than ten processes meet
 * more 429s, which the retries absorb.
 */
export const MIN_SHARE = 0.1;

export class RateLimiter {
	/** Slots per key in departure order; pruned once they are older than every window. */
	private readonly sent = new Map<string, Slot[]>();

	private readonly queues = new Map<string, Promise<unknown>>();

	/** Learnt shares per key, per window (by index); a window without one has its whole limit. */
	private readonly shares = new Map<string, Map<number, Share>>();

	private readonly longest: number;

	constructor(
		private readonly windows: RateWindow[] = FEISHU_WINDOWS,
		private readonly now: () => number = Date.now,
		private readonly wait: Sleep = sleep,
		private readonly recovery: Recovery = SHARE_RECOVERY,
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
		for (const [index, window] of this.windows.entries()) {
			const { ms } = window;
			const limit = Math.max(1, Math.floor(window.limit * this.share(key, index, now)));
			if (times.length >= limit) {
				// The limit-th most recent request must have left the window.
				delay = Math.max(delay, times[limit - 1] + ms - now);
			}
			// A tenth under the window's own pace, so that late timers cost nothing: the count above
			// still holds.
			if (window.paced && times.filter((t) => t > now - ms).length >= limit / 2) {
				delay = Math.max(delay, slots[slots.length - 1].left + (0.9 * ms) / limit - now);
			}
		}
		return delay;
	}

	/** Our share of window `index` of `key`'s budget now, 1 = all of it (nothing refused lately). */
	share(key: string, index = 0, now = this.now()): number {
		const learnt = this.shares.get(key)?.get(index);
		if (!learnt) return 1;
		const growing = now - learnt.since - this.recovery.holdMs;
		if (growing <= 0) return learnt.share;
		const share = learnt.share + (2 ** (growing / this.recovery.doublingMs) - 1) / this.windows[index].limit;
		if (share < 1) return share;
		this.shares.get(key)?.delete(index);
		return 1;
	}

	/**
	 * The gateway refused a request of `key`: the window of `limit` was full. Of it we own the
	 * requests it accepted from us (those in flight may be accepted too): that is our share now.
	 */
	private learn(key: string, limit: number | undefined, left: number): void {
		const now = this.now();
		const named = this.windows.findIndex((w) => w.limit === limit);
		const index = named >= 0 ? named : this.windows.indexOf([...this.windows].sort((a, b) => a.ms - b.ms)[0]);
		const window = this.windows[index];
		// Requests already on their way when we learnt meet the same full window: one lesson each time.
		const last = this.shares.get(key)?.get(index);
		if (last && left <= last.since) return;
		const slots = this.sent.get(key) ?? [];
		const ours = slots.filter((slot) => !slot.refused && (slot.inFlight || slot.at > now - window.ms)).length;
		const floor = Math.max(MIN_SHARE, 1 / window.limit);
		const share = Math.max(floor, Math.min(this.share(key, index, now), ours / window.limit) * this.recovery.backoff);
		let shares = this.shares.get(key);
		if (!shares) this.shares.set(key, (shares = new Map()));
		shares.set(index, { share, since: now });
	}

	private async take(key: string): Promise<Release> {
		for (let delay = this.delay(key); delay > 0; delay = this.delay(key)) await this.wait(delay);
		const now = this.now();
		let slots = this.sent.get(key);
		if (!slots) this.sent.set(key, (slots = []));
		const slot: Slot = { at: now, left: now, inFlight: true, refused: false };
		slots.push(slot);
		if (slots.length > 64 && !slots[0].inFlight && slots[0].at < now - this.longest) {
			const fresh = slots.filter((s) => s.inFlight || s.at >= now - this.longest);
			this.sent.set(key, fresh);
		}
		return (refusal) => {
			if (!slot.inFlight) return;
			slot.at = Math.max(slot.at, this.now());
			slot.inFlight = false;
			if (!refusal) return;
			slot.refused = true;
			this.learn(key, refusal.limit, slot.left);
		};
	}
}
