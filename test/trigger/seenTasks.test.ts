import type { IDataObject } from 'n8n-workflow';

import { murmur3x86128 } from '../../nodes/FeishuApproval/helpers/murmur3';
import type { TaskDigest } from '../../nodes/FeishuApproval/trigger/poll/digestSet';
import { DigestSet } from '../../nodes/FeishuApproval/trigger/poll/digestSet';
import type { MemoryQuery, SeenTask } from '../../nodes/FeishuApproval/trigger/poll/seenTasks';
import { nextGenerations, queryKey, readSeenTasks, rememberedTaskCount, remembers, RETAINED_POLLS, seenTaskCount, taskDigest, writeSeenTasks } from '../../nodes/FeishuApproval/trigger/poll/seenTasks';

const QUERY: MemoryQuery = { origin: 'https://open.feishu.cn', appId: 'cli_a', approvalCodes: ['A', 'B'], status: 'REJECTED', userIds: [] };

const task = (approvalCode: string, instanceId: string, taskId: string, updateTime: string): SeenTask => ({
	approvalCode,
	instanceId,
	taskId,
	updateTime,
});

const setOf = (digests: TaskDigest[]): DigestSet => {
	const set = new DigestSet();
	for (const digest of digests) set.add(digest);
	return set;
};

/** The digests of a memory's last answer, as bytes. */
const lastAnswer = (data: IDataObject, key = 'k') => readSeenTasks(data, key)?.generations[0].toBytes();

/** What n8n does to static data between polls. */
const throughJson = (data: IDataObject): IDataObject => JSON.parse(JSON.stringify(data)) as IDataObject;

describe('seenTasks, the trigger\'s memory', () => {
	test('Should read back after a JSON round trip exactly what was written', () => {
		const data: IDataObject = {};
		const digests = [task('A', 'i1', 't1', '100'), task('A', 'i1', 't2', '200'), task('B', 'i9', 't1', '300')].map((t) => taskDigest(t));
		writeSeenTasks(data, 'k', 1234, nextGenerations(undefined, setOf(digests)));

		const memory = readSeenTasks(throughJson(data), 'k');
		expect(memory?.generations.map((generation) => generation.toBytes())).toEqual([setOf(digests).toBytes(), Buffer.alloc(0), Buffer.alloc(0)]);
		expect(memory).toMatchObject({ seed: 1234, unseeded: false });
	});

	test('Should store 8 bytes of base64 per task, at most 12 characters of JSON a task at 100,000 tasks', () => {
		const data: IDataObject = {};
		const count = 100_000;
		const digests = Array.from({ length: count }, (_, n) => taskDigest(task('E78F1022-A166-447C-8320-E151DA90D70F', `oa_${1_000_000 + n}`, `task_${n}`, String(1_764_000_000_000 + n))));
		writeSeenTasks(data, 'k', 0xffffffff, nextGenerations(undefined, setOf(digests)));

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
			// A lone surrogate and the replacement character UTF-8 would turn it into.
			task('A', 'i\ud800', 't1', '100'),
			task('A', 'i\ufffd', 't1', '100'),
			task('审批', 'i1', 't1', '100'),
			task('A', 'x'.repeat(5000), 't1', '100'),
		];

		expect(setOf(updates.map((t) => taskDigest(t))).size).toBe(updates.length);
		expect(taskDigest(task('A', 'i1', 't1', '100'))).toEqual(taskDigest(task('A', 'i1', 't1', '100')));
	});

	test('Should digest a task update as the first 8 bytes of MurmurHash3_x86_128 of its values, each after its UTF-8 byte length', () => {
		const values = ['E78F1022-A166-447C-8320-E151DA90D70F', 'oa_审批_1', 'task_😀', '1764000000000'];
		const key = Buffer.concat(
			values.flatMap((value) => {
				const bytes = Buffer.from(value, 'utf8');
				const length = Buffer.alloc(4);
				length.writeUInt32BE(bytes.length);
				return [length, bytes];
			}),
		);
		const words = new Uint32Array(4);
		murmur3x86128(key, key.length, 0, words);

		const expected = Buffer.alloc(8);
		expected.writeUInt32LE(words[0], 0);
		expected.writeUInt32LE(words[1], 4);

		expect(setOf([taskDigest(task(values[0], values[1], values[2], values[3]))]).toBytes()).toEqual(expected);
	});

	test('Should convert memory written by 0.1.0 (nested JSON) instead of dropping it', () => {
		// As 0.1 saved it (JSON text: an object literal would take "__proto__" as its prototype).
		const v1 = JSON.parse('{"query":"k","seen":{"A":{"i1":{"t1":"100","t2":"200"}},"__proto__":{"constructor":{"x":"3"}}}}') as IDataObject;

		expect(readSeenTasks(v1, 'k')).toMatchObject({ seed: 0, unseeded: true });
		expect(lastAnswer(v1)).toEqual(setOf([task('A', 'i1', 't1', '100'), task('A', 'i1', 't2', '200'), task('__proto__', 'constructor', 'x', '3')].map((t) => taskDigest(t))).toBytes());
		expect(({} as IDataObject).constructor).toBe(Object);
	});

	test('Should read digests saved without a seed (development builds before 0.2.0) with seed 0', () => {
		const digests = [task('A', 'i1', 't1', '100'), task('B', 'i2', 't1', '200')].map((t) => taskDigest(t));
		const released = { query: 'k', seen: setOf(digests).toBytes().toString('base64') };

		const memory = readSeenTasks(released, 'k');

		expect(memory).toMatchObject({ seed: 0, unseeded: true });
		expect(digests.every((digest) => remembers(memory!, digest))).toBe(true);
		expect(remembers(memory!, taskDigest(task('A', 'i1', 't1', '101')))).toBe(false);
	});

	test('Should keep a task absent from two polls and forget it once absent from three', () => {
		const [a, b, c] = [task('A', 'i1', 't1', '100'), task('A', 'i2', 't1', '100'), task('A', 'i3', 't1', '100')].map((t) => taskDigest(t, 7));
		const data: IDataObject = {};
		const pollWith = (answer: TaskDigest[]) => {
			const memory = readSeenTasks(throughJson(data), 'k');
			writeSeenTasks(data, 'k', 7, nextGenerations(memory, setOf(answer)));
			return readSeenTasks(throughJson(data), 'k')!;
		};
		pollWith([a, b, c]);

		expect(RETAINED_POLLS).toBe(3);
		expect(remembers(pollWith([b, c]), a)).toBe(true);
		expect(remembers(pollWith([c]), a)).toBe(true);
		const third = pollWith([c]);
		expect(remembers(third, a)).toBe(false);
		expect(remembers(third, b)).toBe(true);
		expect(rememberedTaskCount(data)).toBe(2);
		expect(seenTaskCount(data)).toBe(1);
		// Back in an answer: remembered as part of the last answer, never twice.
		expect(pollWith([b, c]).generations.map((generation) => generation.size)).toEqual([2, 0, 0]);
	});

	test('Should hold no more than the last three answers, each task once', () => {
		const data: IDataObject = {};
		const digestsOf = (poll: number) => Array.from({ length: 100 }, (_, n) => taskDigest(task('A', `i${poll}_${n}`, 't', '1'), 9));
		for (let poll = 0; poll < 10; poll++) {
			writeSeenTasks(data, 'k', 9, nextGenerations(readSeenTasks(throughJson(data), 'k'), setOf(digestsOf(poll))));
		}

		expect(rememberedTaskCount(data)).toBe(300);
		const memory = readSeenTasks(data, 'k')!;
		expect(digestsOf(7).every((digest) => remembers(memory, digest))).toBe(true);
		expect(digestsOf(6).some((digest) => remembers(memory, digest))).toBe(false);
	});

	test('Should digest with the memory\'s seed, so digests differ from node to node', () => {
		const update = task('A', 'i1', 't1', '100');

		expect(taskDigest(update, 1)).not.toEqual(taskDigest(update, 2));
		expect(taskDigest(update, 1)).toEqual(taskDigest(update, 1));
		expect(taskDigest(update)).toEqual(taskDigest(update, 0));
	});

	test('Should have no memory for another query', () => {
		const data: IDataObject = {};
		writeSeenTasks(data, 'k', 1, nextGenerations(undefined, setOf([taskDigest(task('A', 'i1', 't1', '100'))])));

		expect(readSeenTasks(data, 'other')).toBeUndefined();
	});

	test('Should treat memory it cannot read as none, so the next poll records a baseline', () => {
		expect(readSeenTasks({ query: 'k', seen: { A: { i1: { t1: 100 } } } }, 'k')).toBeUndefined();
		expect(readSeenTasks({ query: 'k', seen: [] }, 'k')).toBeUndefined();
		expect(readSeenTasks({ query: 'k', seen: 'not base64!' }, 'k')).toBeUndefined();
		expect(readSeenTasks({ query: 'k', seen: 'AAAA' }, 'k')).toBeUndefined();
		expect(readSeenTasks({}, 'k')).toBeUndefined();
		expect(readSeenTasks({ query: 'k', seed: -1, seen: '' }, 'k')).toBeUndefined();
		expect(readSeenTasks({ query: 'k', seed: 1, seen: '', gone: 'AAAAAAAAAAA=' }, 'k')).toBeUndefined();
		expect(readSeenTasks({ query: 'k', seed: 1, seen: '', gone: ['AAAA'] }, 'k')).toBeUndefined();
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
