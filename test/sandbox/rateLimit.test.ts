import { resetHeaderValue, SlidingWindowLimiter } from './rateLimit';

// The limiter alone, on a clock the test moves.

function limiter(windows: { limit: number; ms: number }[]) {
	const clock = { t: 0 };
	return { clock, limiter: new SlidingWindowLimiter(windows, () => clock.t) };
}

test('a window lets `limit` requests through and tells how long until the oldest leaves', () => {
	const { clock, limiter: l } = limiter([{ limit: 3, ms: 1000 }]);
	for (const t of [0, 100, 200]) {
		clock.t = t;
		expect(l.take('app')).toEqual({ ok: true });
	}
	clock.t = 300;
	expect(l.take('app')).toEqual({ ok: false, limit: 3, waitMs: 700 });
});

test('the window slides instead of resetting on a boundary', () => {
	const { clock, limiter: l } = limiter([{ limit: 2, ms: 1000 }]);
	clock.t = 900;
	l.take('app');
	l.take('app');
	// A fixed window would reset at 1000 and allow two more; a sliding one waits until 1900.
	clock.t = 1000;
	expect(l.take('app').ok).toBe(false);
	clock.t = 1899;
	expect(l.take('app').ok).toBe(false);
	clock.t = 1900;
	expect(l.take('app').ok).toBe(true);
});

test('a rejected request takes no slot', () => {
	const { clock, limiter: l } = limiter([{ limit: 1, ms: 100 }]);
	l.take('app');
	clock.t = 50;
	expect(l.take('app').ok).toBe(false);
	clock.t = 100;
	expect(l.take('app').ok).toBe(true);
});

test('when both windows are full the longer wait is reported with its limit', () => {
	const { clock, limiter: l } = limiter([
		{ limit: 2, ms: 100 },
		{ limit: 3, ms: 1000 },
	]);
	for (const t of [0, 200, 250]) {
		clock.t = t;
		expect(l.take('app').ok).toBe(true);
	}
	clock.t = 260;
	expect(l.take('app')).toEqual({ ok: false, limit: 3, waitMs: 740 });
});

test('keys have separate budgets', () => {
	const { limiter: l } = limiter([{ limit: 1, ms: 100 }]);
	expect(l.take('a').ok).toBe(true);
	expect(l.take('b').ok).toBe(true);
	expect(l.take('a').ok).toBe(false);
});

test.each([
	[734, false, '1'],
	[1001, false, '2'],
	[50, true, '0.05'],
	[199.2, true, '0.2'],
	[0.2, true, '0.001'],
])('a wait of %p ms (scaled: %p) is sent as reset %p', (waitMs, scaled, header) => {
	expect(resetHeaderValue(waitMs, scaled)).toBe(header);
});
