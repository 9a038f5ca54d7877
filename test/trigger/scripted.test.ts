import { seenTaskCount } from '../../nodes/FeishuApproval/trigger/poll/seenTasks';
import { createPoller } from '../helpers/runPoll';
import { newApp, useSandbox } from '../helpers/sandbox';
import type { TaskStatus } from '../sandbox';
import { mulberry32 as prng } from '../sandbox/prng';

const CODE = 'E78F1022-A166-447C-8320-E151DA90D70F';
const STATUSES: TaskStatus[] = ['PENDING', 'APPROVED', 'REJECTED', 'REJECTED', 'TRANSFERRED', 'DONE'];

interface ScriptedTask {
	instanceId: string;
	taskId: string;
	status: TaskStatus;
}

describe('Feishu Approval Trigger over 1,000 scripted status changes', () => {
	const env = useSandbox();

	test('Should emit every REJECTED change exactly once, with memory bounded by the matching tasks', async () => {
		const random = prng(20261125);
		const app = newApp(env.sandbox);
		const tenant = app.appId;
		let clock = Date.UTC(2026, 10, 1);
		const tasks: ScriptedTask[] = [];
		for (let i = 0; i < 50; i++) {
			for (let t = 0; t < 3; t++) tasks.push({ instanceId: `inst_${i}`, taskId: `inst_${i}_task_${t}`, status: 'PENDING' });
		}
		const apply = (task: ScriptedTask, status: TaskStatus, time: number) => {
			task.status = status;
			// UPDATE mode: only this task changes, as a third-party system reports one approver's action.
			env.sandbox.syncInstance(
				{
					approval_code: CODE,
					instance_id: task.instanceId,
					status: 'PENDING',
					update_time: String(time),
					task_list: [{ task_id: task.taskId, user_id: 'user_1', status, update_time: String(time) }],
					update_mode: 'UPDATE',
				},
				tenant,
			);
		};
		for (const task of tasks) apply(task, 'PENDING', clock);

		const poller = createPoller({ credential: app, parameters: { approvalCodes: CODE, status: 'REJECTED', output: 'tasks' } });
		expect(await poller.poll()).toBeNull();

		const expected: string[] = [];
		const emitted: string[] = [];
		let changes = 0;
		let failedPolls = 0;
		// Tasks changed since the last successful poll: each changes at most once in between, so
		// every REJECTED change is still visible when the next poll succeeds (a poller cannot see
		// a status that was overwritten before it looked).
		let changedSinceLastSeen = new Set<ScriptedTask>();
		while (changes < 1000) {
			const round = Math.min(5 + Math.floor(random() * 36), 1000 - changes);
			for (let c = 0; c < round; c++) {
				const free = tasks.filter((task) => !changedSinceLastSeen.has(task));
				if (!free.length) break;
				const task = free[Math.floor(random() * free.length)];
				const status = STATUSES[Math.floor(random() * STATUSES.length)];
				clock += 1 + Math.floor(random() * 5_000);
				apply(task, status, clock);
				changedSinceLastSeen.add(task);
				changes++;
				if (status === 'REJECTED') expected.push(`${task.instanceId}/${task.taskId}/${clock}`);
			}

			if (random() < 0.1) {
				env.sandbox.injectFault({ type: 'code', code: 1390001 });
				const memory = poller.savedStaticData;
				await expect(poller.poll()).rejects.toThrow('code 1390001');
				expect(poller.savedStaticData).toBe(memory);
				failedPolls++;
				continue;
			}
			const items = (await poller.poll()) ?? [];
			for (const { json } of items) emitted.push(`${json.instance_id}/${json.task_id}/${json.task_update_time}`);
			changedSinceLastSeen = new Set();
			const matching = tasks.filter((task) => task.status === 'REJECTED').length;
			expect(seenTaskCount(poller.nodeStaticData)).toBeLessThanOrEqual(matching);
		}
		// A last poll catches up after a failed one.
		for (const { json } of (await poller.poll()) ?? []) emitted.push(`${json.instance_id}/${json.task_id}/${json.task_update_time}`);

		const missed = expected.filter((event) => !emitted.includes(event));
		const duplicates = emitted.length - new Set(emitted).size;
		const unexpected = emitted.filter((event) => !expected.includes(event));
		expect({ changes, missed, duplicates, unexpected }).toEqual({ changes: 1000, missed: [], duplicates: 0, unexpected: [] });
		expect(emitted).toHaveLength(expected.length);
		// The script exercised what it claims to: many rejections and some failed polls.
		expect(expected.length).toBeGreaterThan(250);
		expect(failedPolls).toBeGreaterThan(0);
	});
});
