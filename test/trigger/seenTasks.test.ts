import type { IDataObject } from 'n8n-workflow';

import type { MemoryQuery, SeenTask } from '../../nodes/FeishuApproval/trigger/seenTasks';
import { queryKey, readSeenTasks, seenTaskCount, taskDigest, writeSeenTasks } from '../../nodes/FeishuApproval/trigger/seenTasks';

const QUERY: MemoryQuery = { origin: 'https://open.feishu.cn', appId: 'cli_a', approvalCodes: ['A', 'B'], status: 'REJECTED', userIds: [] };

const task = (approvalCode: string, instanceId: string, taskId: string, updateTime: string): SeenTask => ({
	approvalCode,
	instanceId,
	taskId,
	updateTime,
});

/** What n8n does to static data between polls. */
const throughJson = (data: IDataObject): IDataObject => JSON.parse(JSON.stringify(data)) as IDataObject;

describe('seenTasks, the trigger\'s memory', () => {
	test('Should read back after a JSON round trip exactly what was written', () => {
		const data: IDataObject = {};
		const digests = [task('A', 'i1', 't1', '100'), task('A', 'i1', 't2', '200'), task('B', 'i9', 't1', '300')].map(taskDigest);
		writeSeenTasks(data, 'k', digests);

		expect(readSeenTasks(throughJson(data), 'k')).toEqual(new Set(digests));
	});

	test('Should store 8 bytes of base64 per task, at most 12 characters of JSON a task at 100,000 tasks', () => {
		const data: IDataObject = {};
		const count = 100_000;
		const digests = Array.from({ length: count }, (_, n) => taskDigest(task('E78F1022-A166-447C-8320-E151DA90D70F', `oa_${1_000_000 + n}`, `task_${n}`, String(1_764_000_000_000 + n))));
		writeSeenTasks(data, 'k', digests);

		expect(typeof data.seen).toBe('string');
		expect(Buffer.from(data.seen as string, 'base64')).toHaveLength(count * 8);
		expect(JSON.stringify(data).length / count).toBeLessThanOrEqual(12);
		expect(seenTaskCount(throughJson(data))).toBe(count);
	});

	test('Should give every distinct task update its own digest, the update time included', () => {
		const updates = [
			task('A', 'i1', 't1', '100'),
			task('A', 'i1', 't1', '101'),
			task('A', 'i1', 't2', '100'),
			task('A', 'i2', 't1', '100'),
			task('B', 'i1', 't1', '100'),
			// Free-text ids that a separator would run together [doc: ids are the system's own].
			task('A', 'i1"', 't1', '100'),
			task('A', 'i', '1t1', '100'),
		];

		expect(new Set(updates.map(taskDigest)).size).toBe(updates.length);
		expect(taskDigest(task('A', 'i1', 't1', '100'))).toBe(taskDigest(task('A', 'i1', 't1', '100')));
	});

	test('Should convert memory written by version 0.1 instead of dropping it', () => {
		// As 0.1 saved it (JSON text: an object literal would take "__proto__" as its prototype).
		const v1 = JSON.parse('{"query":"k","seen":{"A":{"i1":{"t1":"100","t2":"200"}},"__proto__":{"constructor":{"x":"3"}}}}') as IDataObject;

		const seen = readSeenTasks(v1, 'k');

		expect(seen).toEqual(new Set([task('A', 'i1', 't1', '100'), task('A', 'i1', 't2', '200'), task('__proto__', 'constructor', 'x', '3')].map(taskDigest)));
		expect(({} as IDataObject).constructor).toBe(Object);
	});

	test('Should replace the memory, dropping tasks not written again', () => {
		const data: IDataObject = {};
		writeSeenTasks(data, 'k', [task('A', 'i1', 't1', '100'), task('A', 'i2', 't1', '100')].map(taskDigest));
		writeSeenTasks(data, 'k', [taskDigest(task('A', 'i2', 't1', '100'))]);

		expect(seenTaskCount(throughJson(data))).toBe(1);
	});

	test('Should have no memory for another query', () => {
		const data: IDataObject = {};
		writeSeenTasks(data, 'k', [taskDigest(task('A', 'i1', 't1', '100'))]);

		expect(readSeenTasks(data, 'other')).toBeUndefined();
	});

	test('Should treat memory it cannot read as none, so the next poll records a baseline', () => {
		expect(readSeenTasks({ query: 'k', seen: { A: { i1: { t1: 100 } } } }, 'k')).toBeUndefined();
		expect(readSeenTasks({ query: 'k', seen: [] }, 'k')).toBeUndefined();
		expect(readSeenTasks({ query: 'k', seen: 'not base64!' }, 'k')).toBeUndefined();
		expect(readSeenTasks({ query: 'k', seen: 'AAAA' }, 'k')).toBeUndefined();
		expect(readSeenTasks({}, 'k')).toBeUndefined();
	});

	// The value version 0.1 computed for this query.
	test('Should keep the query key of version 0.1, so an upgrade keeps the memory', () => {
		expect(queryKey(QUERY)).toBe('3dc560e2ac306313f4c177f7');
	});

	test('Should key the query the same whatever the order of codes and user ids', () => {
		expect(queryKey({ ...QUERY, approvalCodes: ['B', 'A'], userIds: ['u2', 'u1'] })).toBe(queryKey({ ...QUERY, userIds: ['u1', 'u2'] }));
	});

	test.each([
		['status', { status: 'APPROVED' }],
		['approval codes', { approvalCodes: ['A'] }],
		['user ids', { userIds: ['u1'] }],
		['app', { appId: 'cli_b' }],
		['base URL', { origin: 'https://open.larksuite.com' }],
	])('Should key the query differently when the %s change', (_name, change) => {
		expect(queryKey({ ...QUERY, ...change })).not.toBe(queryKey(QUERY));
	});
});
