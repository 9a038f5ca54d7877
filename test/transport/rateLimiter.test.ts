import type { Recovery } from '../../nodes/FeishuApproval/transport/rateLimiter';
import { RateLimiter } from '../../nodes/FeishuApproval/transport/rateLimiter';

/** A clock the test drives: `sleep` advances it, so no real time passes. */
function fakeClock() {
	const clock = {
		now: 0,
		sleeps: [] as number[],
		sleep: async (ms: number) => {
			clock.sleeps.push(ms);
			clock.now += ms;
		},
	};
	return clock;
}

/** Round figures for the tests: keep half of what the gateway accepted, hold 1 s, double every 100 ms. */
const recovery: Recovery = { backoff: 0.5, holdMs: 1000, doublingMs: 100 };

describe('RateLimiter', () => {
	test('Should let the first requests of a window go at once', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter([{ limit: 5, ms: 1000 }], () => clock.now, clock.sleep);
		for (let i = 0; i < 5; i++) (await limiter.acquire('k'))();
		expect(clock.sleeps).toEqual([]);
	});

	test('Should hold a request until the oldest one leaves the sliding window', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter([{ limit: 2, ms: 1000 }], () => clock.now, clock.sleep);
		(await limiter.acquire('k'))();
		clock.now = 300;
		(await limiter.acquire('k'))();
		(await limiter.acquire('k'))();
		expect(clock.now).toBe(1000);
		(await limiter.acquire('k'))();
		expect(clock.now).toBe(1300);
	});

	test('Should honour every window at once (per second and per minute)', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter([{ limit: 3, ms: 100 }, { limit: 5, ms: 1000 }], () => clock.now, clock.sleep);
		const times: number[] = [];
		for (let i = 0; i < 11; i++) {
			(await limiter.acquire('k'))();
			times.push(clock.now);
		}
		for (let i = 0; i < times.length; i++) {
			expect(times.filter((t) => t > times[i] - 100 && t <= times[i]).length).toBeLessThanOrEqual(3);
			expect(times.filter((t) => t > times[i] - 1000 && t <= times[i]).length).toBeLessThanOrEqual(5);
		}
		expect(times[5]).toBe(1000);
		expect(times[10]).toBe(2000);
	});

	test('Should count keys separately', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter([{ limit: 1, ms: 1000 }], () => clock.now, clock.sleep);
		(await limiter.acquire('a'))();
		(await limiter.acquire('b'))();
		expect(clock.sleeps).toEqual([]);
	});

	test('Should count a request from when its answer came back, the latest it can have arrived', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter([{ limit: 1, ms: 1000 }], () => clock.now, clock.sleep);
		const release = await limiter.acquire('k');
		clock.now = 400;
		release();
		await limiter.acquire('k');
		expect(clock.now).toBe(1400);
	});

	test('Should count a request still in flight as sent now', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter([{ limit: 1, ms: 1000 }], () => clock.now, clock.sleep);
		await limiter.acquire('k');
		clock.now = 5000;
		expect(limiter.delay('k')).toBe(1000);
	});

	test('Should serve concurrent callers in arrival order within the limit', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter([{ limit: 2, ms: 1000 }], () => clock.now, clock.sleep);
		const order: number[] = [];
		await Promise.all([0, 1, 2, 3, 4].map(async (n) => {
			(await limiter.acquire('k'))();
			order.push(n);
		}));
		expect(order).toEqual([0, 1, 2, 3, 4]);
		// Five requests at two per window need at least two further windows.
		expect(clock.now).toBeGreaterThanOrEqual(2000);
	});

	test('Should send the first half of a paced window at once, then evenly spaced', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter([{ limit: 10, ms: 1000, paced: true }], () => clock.now, clock.sleep);
		const times: number[] = [];
		for (let i = 0; i < 12; i++) {
			(await limiter.acquire('k'))();
			times.push(clock.now);
		}
		// Five at once; then a tenth under the window's pace of 100 ms; the eleventh waits for the first.
		expect(times).toEqual([0, 0, 0, 0, 0, 90, 180, 270, 360, 450, 1000, 1090]);
	});

	describe('A refusal (429) teaches the limiter its share of a budget other processes spend too', () => {
		test('Should keep to a part of the requests the gateway accepted from it in the full window', async () => {
			const clock = fakeClock();
			const limiter = new RateLimiter([{ limit: 10, ms: 1000 }], () => clock.now, clock.sleep, recovery);
			for (let i = 0; i < 8; i++) (await limiter.acquire('k'))();
			(await limiter.acquire('k'))({});

			// Eight accepted of ten: half of that is ours now.
			expect(limiter.share('k')).toBeCloseTo(0.4);
			// Nine sent fill a window of a limit of 4: the next waits for it.
			expect(limiter.delay('k')).toBe(1000);
		});

		test('Should never go below a tenth of the budget', async () => {
			const clock = fakeClock();
			const limiter = new RateLimiter([{ limit: 50, ms: 1000 }], () => clock.now, clock.sleep, recovery);
			(await limiter.acquire('k'))();
			(await limiter.acquire('k'))({});

			// One accepted of 50 would say 0.02.
			expect(limiter.share('k')).toBeCloseTo(0.1);
		});

		test('Should never go below one request per window', async () => {
			const clock = fakeClock();
			const limiter = new RateLimiter([{ limit: 5, ms: 1000 }], () => clock.now, clock.sleep, recovery);
			(await limiter.acquire('k'))({});

			expect(limiter.share('k')).toBeCloseTo(0.2);
		});

		test('Should learn the share of the window the gateway names, and leave the others whole', async () => {
			const clock = fakeClock();
			const limiter = new RateLimiter([{ limit: 10, ms: 1000 }, { limit: 20, ms: 10_000 }], () => clock.now, clock.sleep, recovery);
			// 12 accepted over 6 s: 2 in the last second, 12 in the last ten.
			for (let i = 0; i < 12; i++) {
				(await limiter.acquire('k'))();
				clock.now += 500;
			}
			(await limiter.acquire('k'))({ limit: 20 });

			// Half of 12 of 20.
			expect(limiter.share('k', 1)).toBeCloseTo(0.3);
			expect(limiter.share('k', 0)).toBe(1);
		});

		test('Should learn the share of the shortest window when the gateway names none', async () => {
			const clock = fakeClock();
			const limiter = new RateLimiter([{ limit: 10, ms: 1000 }, { limit: 20, ms: 10_000 }], () => clock.now, clock.sleep, recovery);
			for (let i = 0; i < 12; i++) {
				(await limiter.acquire('k'))();
				clock.now += 500;
			}
			(await limiter.acquire('k'))({});

			// Two of the last second's ten were ours.
			expect(limiter.share('k', 0)).toBeCloseTo(0.1);
			expect(limiter.share('k', 1)).toBe(1);
		});

		test('Should learn again from a later refusal, from what the full window then held', async () => {
			const clock = fakeClock();
			const limiter = new RateLimiter([{ limit: 10, ms: 1000 }], () => clock.now, clock.sleep, recovery);
			for (let i = 0; i < 8; i++) (await limiter.acquire('k'))();
			(await limiter.acquire('k'))({});
			clock.now += 5_000;
			// Back to the whole budget by now; four go, the fifth is refused.
			for (let i = 0; i < 4; i++) (await limiter.acquire('k'))();
			(await limiter.acquire('k'))({});

			expect(limiter.share('k')).toBeCloseTo(0.2);
		});

		test('Should learn once from requests that were on their way when it learnt', async () => {
			const clock = fakeClock();
			const limiter = new RateLimiter([{ limit: 10, ms: 1000 }], () => clock.now, clock.sleep, recovery);
			for (let i = 0; i < 8; i++) (await limiter.acquire('k'))();
			const onTheirWay = [await limiter.acquire('k'), await limiter.acquire('k')];
			clock.now += 10;
			onTheirWay[0]({});
			// Half of eight accepted and one still on its way.
			expect(limiter.share('k')).toBeCloseTo(0.45);
			// The second met the same full window: halving again would learn one lesson twice.
			onTheirWay[1]({});
			expect(limiter.share('k')).toBeCloseTo(0.45);
		});

		test('Should hold its share, then regain a request a window, doubling, up to the whole budget', async () => {
			const clock = fakeClock();
			const limiter = new RateLimiter([{ limit: 10, ms: 1000 }], () => clock.now, clock.sleep, recovery);
			for (let i = 0; i < 8; i++) (await limiter.acquire('k'))();
			(await limiter.acquire('k'))({});

			expect(limiter.share('k')).toBeCloseTo(0.4);
			clock.now += 1_000;
			expect(limiter.share('k')).toBeCloseTo(0.4);
			// One request of ten more, then three, then seven: past the whole budget.
			clock.now += 100;
			expect(limiter.share('k')).toBeCloseTo(0.5);
			clock.now += 100;
			expect(limiter.share('k')).toBeCloseTo(0.7);
			clock.now += 100;
			expect(limiter.share('k')).toBe(1);
		});

		test('Should learn per key', async () => {
			const clock = fakeClock();
			const limiter = new RateLimiter([{ limit: 10, ms: 1000 }], () => clock.now, clock.sleep, recovery);
			(await limiter.acquire('a'))({});

			expect(limiter.share('a')).toBeCloseTo(0.1);
			expect(limiter.share('b')).toBe(1);
		});
	});
});
