import { DateTime } from 'luxon';

import { optionalEpochMs, toEpochMs } from '../../nodes/FeishuApproval/helpers/time';

const MS = Date.UTC(2026, 10, 1, 9, 30);

describe('toEpochMs', () => {
	test.each<[string, unknown]>([
		['ISO text with Z', '2026-11-01T09:30:00Z'],
		['ISO text with an offset', '2026-11-01T17:30:00+08:00'],
		['epoch milliseconds as a number', MS],
		['epoch milliseconds as text', ` ${MS} `],
		['a JS Date', new Date(MS)],
		['an n8n (Luxon) date', DateTime.fromMillis(MS)],
	])('Should read %s as epoch milliseconds text', (_name, value) => {
		expect(toEpochMs(value, 'Update Time')).toBe(String(MS));
	});

	test('Should refuse epoch seconds instead of reading them as 1970', () => {
		expect(() => toEpochMs(1764579600, 'Update Time')).toThrow('Update Time 1764579600 looks like epoch seconds');
	});

	test('Should refuse text that is not a time, naming the field', () => {
		expect(() => toEpochMs('next week', 'Tasks > Task 1 > End Time')).toThrow('Tasks > Task 1 > End Time "next week" is not a time');
	});

	test('Should refuse objects, fractions and negative numbers', () => {
		expect(() => toEpochMs({}, 'T')).toThrow('T must be a time');
		expect(() => toEpochMs(MS + 0.5, 'T')).toThrow('is not a valid time');
		expect(() => toEpochMs(-1, 'T')).toThrow('is not a valid time');
	});

	test('Should treat an empty optional time as absent', () => {
		expect(optionalEpochMs('', 'T')).toBeUndefined();
		expect(optionalEpochMs(undefined, 'T')).toBeUndefined();
		expect(optionalEpochMs(MS, 'T')).toBe(String(MS));
	});
});
