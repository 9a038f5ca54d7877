import { poolBatches } from '../../nodes/FeishuApproval/helpers/pool';

describe('poolBatches', () => {
	test('Should put the keys of all items into batches of the given size, first come first placed', () => {
		const batches = poolBatches(
			[
				{ itemIndex: 0, keys: ['a', 'b'] },
				{ itemIndex: 1, keys: ['c'] },
				{ itemIndex: 2, keys: ['d', 'e'] },
			],
			2,
		);
		expect(batches).toEqual([
			{ keys: ['a', 'b'], items: [0] },
			{ keys: ['c', 'd'], items: [1, 2] },
			{ keys: ['e'], items: [2] },
		]);
	});

	test('Should send a key asked by several items once and name every asker', () => {
		const batches = poolBatches(
			[
				{ itemIndex: 0, keys: ['a'] },
				{ itemIndex: 1, keys: ['a', 'b'] },
			],
			20,
		);
		expect(batches).toEqual([{ keys: ['a', 'b'], items: [0, 1] }]);
	});

	test('Should compare object keys by the given identity', () => {
		const batches = poolBatches(
			[
				{ itemIndex: 0, keys: [{ id: 'x', v: 1 }] },
				{ itemIndex: 1, keys: [{ id: 'x', v: 1 }] },
			],
			10,
			(key) => JSON.stringify(key),
		);
		expect(batches).toEqual([{ keys: [{ id: 'x', v: 1 }], items: [0, 1] }]);
	});

	test('Should give no batch for no keys', () => {
		expect(poolBatches([{ itemIndex: 0, keys: [] }], 20)).toEqual([]);
	});
});
