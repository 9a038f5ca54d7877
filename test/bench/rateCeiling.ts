import type { RateWindow } from '../../nodes/FeishuApproval/transport/rateLimiter';
import { FEISHU_WINDOWS, RateLimiter } from '../../nodes/FeishuApproval/transport/rateLimiter';
import { runWorkflow } from '../helpers/runWorkflow';
import { bareLoop } from './contenders';
import { gaps, maxInWindow, sustainedRate, timed } from './measure';
import type { Bench } from './setup';
import { RATE_CODE } from './setup';

// Section 3: concurrent executions sharing one credential against a gateway that enforces its
// limits as strict sliding windows. Arrival times come from the gateway limiter's own clock.

export interface RateFigures {
	executions: number;
	requests: number;
	status429: number;
	tokenExchanges: number;
	wallMs: number;
	/** First to last arrival at the gateway. */
	spanMs: number;
	/** The shortest span any client could achieve for this many requests under the gateway's windows. */
	floorSpanMs: number;
	sustainedPerSecond: number;
	/** Per gateway window: most arrivals in any such window, and how close t[i+limit] came to t[i] + ms. */
	windows: Array<{ limit: number; ms: number; maxSeen: number; gap?: { min: number; median: number } }>;
}

/** Last departure of `n` requests sent as early as the windows allow (the first at 0). */
export function floorSpan(n: number, windows: RateWindow[]): number {
	const times: number[] = [];
	for (let i = 0; i < n; i++) times.push(Math.max(0, ...windows.map((w) => (i >= w.limit ? times[i - w.limit] + w.ms : 0))));
	return times[n - 1] ?? 0;
}

async function figures(bench: Bench, name: 'gateway' | 'scaled', windows: RateWindow[], executions: number, run: () => Promise<unknown>) {
	const measured = await timed(run);
	const log = await bench.sandboxes.log(name);
	const arrivals = log.arrivals;
	return {
		executions,
		requests: log.list,
		status429: log.statuses['429'] ?? 0,
		tokenExchanges: log.tokens,
		wallMs: measured.wallMs,
		spanMs: arrivals[arrivals.length - 1] - arrivals[0],
		floorSpanMs: floorSpan(log.list, windows),
		// In gateway seconds: scaled windows report the rate the real windows would see.
		sustainedPerSecond: sustainedRate(arrivals, windows[0].limit) * (windows[0].ms / 1000),
		windows: windows.map((w) => ({ ...w, maxSeen: maxInWindow(arrivals, w.ms), gap: gaps(arrivals, w.limit) })),
	};
}

export const GATEWAY_WINDOWS: RateWindow[] = [
	{ limit: 50, ms: 1000 },
	{ limit: 1000, ms: 60_000 },
];

/** Our node through n8n's engine: `executions` at once, each paging 1,000 instances 10 at a time. */
export async function rateCeiling(bench: Bench, executions: number): Promise<RateFigures> {
	const app = await bench.newApp('gateway', 'rate');
	const credential = { region: 'custom', baseUrl: app.baseUrl, appId: app.appId, appSecret: app.appSecret };
	const parameters = { queryBy: 'status', approvalCodes: RATE_CODE, status: 'PENDING', returnAll: true, options: { pageSize: 10 } };
	return await figures(bench, 'gateway', GATEWAY_WINDOWS, executions, async () => {
		const runs = await Promise.all(Array.from({ length: executions }, async () => await runWorkflow({ credential, parameters })));
		if (runs.some((r) => r.error || r.items.length !== 1000)) throw new Error('a rate-ceiling execution failed');
	});
}

export const SCALED_GATEWAY: RateWindow[] = [
	{ limit: 50, ms: 100 },
	{ limit: 1000, ms: 6000 },
];

/**
 * The 1000/minute window in time scaled 1:10. The transport's limiter is a module constant with
 * fixed windows, so this drives the RateLimiter class alone (our windows scaled alike, headroom
 * kept) from the bare loop, not the node: it checks the algorithm, not the node's wiring.
 */
export async function scaledMinute(bench: Bench, workers: number): Promise<RateFigures> {
	const limiter = new RateLimiter(FEISHU_WINDOWS.map((w) => ({ limit: w.limit, ms: w.ms / 10 })));
	const app = await bench.newApp('scaled', 'rate');
	const loop = bareLoop(limiter);
	const scaled = await figures(bench, 'scaled', SCALED_GATEWAY, workers, async () => {
		await Promise.all(Array.from({ length: workers }, async () => await loop(app, { approval_codes: [RATE_CODE], status: 'PENDING' }, 1)));
	});
	// Here the per-window rate is bounded by how fast this machine answers ~500 requests/s, and the
	// span includes the minute window's pause: the gaps and 429s are the figures, not a rate.
	return { ...scaled, sustainedPerSecond: NaN };
}
