import type { IDataObject } from 'n8n-workflow';

import type { MemoryQuery, SeenTask } from '../../nodes/FeishuApproval/trigger/seenTasks';
import { queryKey, readSeenTasks, seenTaskCount, taskKey, writeSeenTasks } from '../../nodes/FeishuApproval/trigger/seenTasks';

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
		const tasks = [task('A', 'i1', 't1', '100'), task('A', 'i1', 't2', '200'), task('B', 'i9', 't1', '300')];
		writeSeenTasks(data, 'k', tasks);

		const seen = readSeenTasks(throughJson(data), 'k');

		expect(seen).toEqual(new Map(tasks.map((t) => [taskKey(t), t.updateTime])));
	});

	test('Should store each approval code and instance id once, nested', () => {
		const data: IDataObject = {};
		writeSeenTasks(data, 'k', [task('A', 'i1', 't1', '100'), task('A', 'i1', 't2', '200')]);

		expect(throughJson(data)).toEqual({ query: 'k', seen: { A: { i1: { t1: '100', t2: '200' } } } });
	});

	test('Should keep ids such as "__proto__" as plain keys without touching Object.prototype', () => {
		const data: IDataObject = {};
		const tasks = [task('__proto__', 'constructor', '__proto__', '1'), task('A', 'a"b', 'x\u0000y', '2')];
		writeSeenTasks(data, 'k', tasks);

		expect(readSeenTasks(throughJson(data), 'k')).toEqual(new Map(tasks.map((t) => [taskKey(t), t.updateTime])));
		expect(({} as IDataObject).constructor).toBe(Object);
	});

	test('Should replace the memory, dropping tasks not written again', () => {
		const data: IDataObject = {};
		writeSeenTasks(data, 'k', [task('A', 'i1', 't1', '100'), task('A', 'i2', 't1', '100')]);
		writeSeenTasks(data, 'k', [task('A', 'i2', 't1', '100')]);

		expect(seenTaskCount(throughJson(data))).toBe(1);
	});

	test('Should have no memory for another query', () => {
		const data: IDataObject = {};
		writeSeenTasks(data, 'k', [task('A', 'i1', 't1', '100')]);

		expect(readSeenTasks(data, 'other')).toBeUndefined();
	});

	test('Should treat memory it cannot read as none, so the next poll records a baseline', () => {
		expect(readSeenTasks({ query: 'k', seen: { A: { i1: { t1: 100 } } } }, 'k')).toBeUndefined();
		expect(readSeenTasks({ query: 'k', seen: [] }, 'k')).toBeUndefined();
		expect(readSeenTasks({}, 'k')).toBeUndefined();
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
