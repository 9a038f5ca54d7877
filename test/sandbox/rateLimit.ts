// The gateway's per-app limits as strict sliding windows: at most `limit` accepted requests in
// any `ms` long window [doc: 50/s and 1000/min; the sliding, strict counting is our assumption,
// the harshest reading, so a client that passes here passes there].

export interface RateWindow {
	limit: number;
	ms: number;
}

export type RateDecision = { ok: true } | { ok: false; limit: number; waitMs: number };

export class SlidingWindowLimiter {
	// Accepted request times per key, ascending. Rejected requests are not recorded: they take
	// no slot.
	private readonly accepted = new Map<string, number[]>();
	private readonly longestMs: number;

	constructor(
		private readonly windows: RateWindow[],
		private readonly now: () => number,
	) {
		this.longestMs = Math.max(0, ...windows.map((w) => w.ms));
	}

	take(key: string): RateDecision {
		const t = this.now();
		const times = this.accepted.get(key) ?? [];
		// Forget what no window can see any more, so memory stays bounded by the largest limit.
		const keepFrom = firstAfter(times, t - this.longestMs);
		if (keepFrom > 0) times.splice(0, keepFrom);

		let worst: { limit: number; waitMs: number } | undefined;
		for (const w of this.windows) {
			const start = firstAfter(times, t - w.ms);
			const inWindow = times.length - start;
			if (inWindow < w.limit) continue;
			// A slot frees when enough of the oldest requests in the window have left it.
			const leaving = times[start + inWindow - w.limit];
			const waitMs = leaving + w.ms - t;
			if (!worst || waitMs > worst.waitMs) worst = { limit: w.limit, waitMs };
		}
		if (worst) return { ok: false, ...worst };

		times.push(t);
		this.accepted.set(key, times);
		return { ok: true };
	}
}

// Index of the first time strictly greater than `bound` (times ascending).
function firstAfter(times: number[], bound: number): number {
	let lo = 0;
	let hi = times.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (times[mid] > bound) hi = mid;
		else lo = mid + 1;
	}
	return lo;
}

// x-ogw-ratelimit-reset is whole seconds on the real gateway [seen]. With the real window lengths
// we round up the same way (at least 1); with scaled windows a whole second would dwarf the window,
// so we give the exact wait in seconds, to the millisecond (e.g. "0.05").
export function resetHeaderValue(waitMs: number, scaled: boolean): string {
	if (!scaled) return String(Math.max(1, Math.ceil(waitMs / 1000)));
	return String(Math.max(1, Math.ceil(waitMs)) / 1000);
}
