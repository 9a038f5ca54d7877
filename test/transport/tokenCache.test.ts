import { TokenCache } from '../../nodes/FeishuApproval/transport/tokenCache';

describe('TokenCache', () => {
	test('Should share one exchange between concurrent callers of one key', async () => {
		const cache = new TokenCache(() => 0);
		let exchanges = 0;
		const exchange = async () => {
			exchanges++;
			await new Promise((resolve) => setImmediate(resolve));
			return { token: `t-${exchanges}`, expireSeconds: 7200 };
		};
		const tokens = await Promise.all([cache.get('k', exchange), cache.get('k', exchange), cache.get('k', exchange)]);
		expect(tokens).toEqual(['t-1', 't-1', 't-1']);
		expect(exchanges).toBe(1);
	});

	test('Should keep keys apart', async () => {
		const cache = new TokenCache(() => 0);
		expect(await cache.get('a', async () => ({ token: 'ta', expireSeconds: 7200 }))).toBe('ta');
		expect(await cache.get('b', async () => ({ token: 'tb', expireSeconds: 7200 }))).toBe('tb');
		expect(await cache.get('a', async () => ({ token: 'other', expireSeconds: 7200 }))).toBe('ta');
	});

	test('Should refresh a few minutes before the token expires', async () => {
		let now = 0;
		const cache = new TokenCache(() => now, 5 * 60_000);
		let n = 0;
		const exchange = async () => ({ token: `t-${++n}`, expireSeconds: 7200 });
		expect(await cache.get('k', exchange)).toBe('t-1');
		now = (7200 - 301) * 1000;
		expect(await cache.get('k', exchange)).toBe('t-1');
		now = (7200 - 299) * 1000;
		expect(await cache.get('k', exchange)).toBe('t-2');
	});

	test('Should drop an invalidated token but keep a newer one', async () => {
		const cache = new TokenCache(() => 0);
		let n = 0;
		const exchange = async () => ({ token: `t-${++n}`, expireSeconds: 7200 });
		await cache.get('k', exchange);
		cache.invalidate('k', 't-1');
		expect(await cache.get('k', exchange)).toBe('t-2');
		cache.invalidate('k', 't-1');
		expect(await cache.get('k', exchange)).toBe('t-2');
	});

	test('Should not cache a failed exchange', async () => {
		const cache = new TokenCache(() => 0);
		await expect(cache.get('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
		expect(await cache.get('k', async () => ({ token: 'ok', expireSeconds: 7200 }))).toBe('ok');
	});
});
