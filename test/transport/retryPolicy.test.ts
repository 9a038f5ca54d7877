import type { Outcome } from '../../nodes/FeishuApproval/transport/errors';
import { retryDelay } from '../../nodes/FeishuApproval/transport/retryPolicy';

const options = { retries: 3, baseMs: 100, capMs: 1000, maxResetMs: 5000, random: () => 0.5 };
const error = { msg: 'x' };

describe('retryDelay', () => {
	test('Should wait the x-ogw-ratelimit-reset seconds on a rate limit, plus up to half again at random', () => {
		// random() is 0.5 here: a quarter more.
		expect(retryDelay({ kind: 'rateLimited', resetSeconds: 2, error }, 0, options)).toBe(2500);
		expect(retryDelay({ kind: 'rateLimited', resetSeconds: 2, error }, 0, { ...options, random: () => 0 })).toBe(2000);
	});

	test('Should give up on a reset longer than the bound', () => {
		expect(retryDelay({ kind: 'rateLimited', resetSeconds: 60, error }, 0, options)).toBeUndefined();
	});

	test('Should back off with full jitter when a rate limit has no reset header', () => {
		expect(retryDelay({ kind: 'rateLimited', error }, 1, options)).toBe(100);
	});

	test.each([0, 1, 2])('Should back off exponentially on a transient failure, attempt %i', (attempt) => {
		expect(retryDelay({ kind: 'transient', error }, attempt, options)).toBe(Math.floor(0.5 * Math.min(1000, 100 * 2 ** attempt)));
	});

	test('Should stop after the last retry', () => {
		expect(retryDelay({ kind: 'transient', error }, 3, options)).toBeUndefined();
	});

	test.each<Outcome['kind']>(['fatal', 'tokenInvalid'])('Should not retry a %s answer', (kind) => {
		expect(retryDelay({ kind, error } as Outcome, 0, options)).toBeUndefined();
	});
});
