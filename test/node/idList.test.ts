import { chunk, IdListError, parseIdList } from '../../nodes/FeishuApproval/helpers/idList';

describe('parseIdList', () => {
	test('Should split text on commas, spaces and new lines, trim, drop empties, de-duplicate, keep order', () => {
		expect(parseIdList(' b, a\n\nc  a,,b ', 'Ids')).toEqual(['b', 'a', 'c']);
	});

	test('Should take an array of strings and numbers from an expression', () => {
		expect(parseIdList(['x', 42, ' y ', 'x'], 'Ids')).toEqual(['x', '42', 'y']);
	});

	test('Should refuse entries that are not strings or numbers', () => {
		expect(() => parseIdList(['x', { id: 1 }], 'Instance IDs')).toThrow(IdListError);
		expect(() => parseIdList(['x', { id: 1 }], 'Instance IDs')).toThrow('Instance IDs must contain only text or numbers');
	});

	test('Should cut lists into groups of at most the given size', () => {
		expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
	});
});
