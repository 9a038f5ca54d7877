import { mulberry32 } from './prng';
import type { ExternalTaskSync, InstanceStatus, Sandbox, TaskStatus } from './types';

// Realistic, deterministic demo data for `npm run sandbox`, the demo and manual tries: same
// instances, tasks and times on every run (seeded PRNG, fixed reference date).

export interface DemoData {
	appId: string;
	appSecret: string;
	approvals: { code: string; name: string }[];
	instanceIds: string[];
	userIds: string[];
}

const APP_ID = 'cli_demo_app';
const APP_SECRET = 'demo-secret-not-real';
// Times spread over the 30 days before this moment (2026-11-24 12:00 China time): fixed, so the
// data is the same on every run, and recent, so the demo's dates look like this month's work.
const REFERENCE_MS = Date.UTC(2026, 10, 24, 4, 0, 0);
const DAY_MS = 24 * 60 * 60 * 1000;
const INSTANCE_COUNT = 300;

const APPROVALS = [
	{ code: 'E78F1022-A166-447C-8320-E151DA90D70F', name: 'Leave request' },
	{ code: '3B9C5A7E-1D24-4F6B-9E0A-7C8D2F41B6A3', name: 'Expense claim' },
	{ code: 'A0D4F6C2-58B1-4E97-B3A2-9F1E6D7C0B84', name: 'Purchase order' },
	{ code: '6F2E8B13-C947-4A05-8D6E-2B5A9C3F71E0', name: 'Contract review' },
];

const INSTANCE_WEIGHTS: [InstanceStatus, number][] = [
	['PENDING', 35],
	['APPROVED', 30],
	['REJECTED', 15],
	['CANCELED', 10],
	['DELETED', 5],
	['HIDDEN', 5],
];

export async function seedDemoData(sandbox: Sandbox): Promise<DemoData> {
	const random = mulberry32(20251124);
	sandbox.addApp(APP_ID, APP_SECRET);

	// Both kinds of user id the docs show: open-id style and the tenant's numeric ids.
	const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
	const userIds = [...Array.from({ length: 8 }, () => `ou_${hex(32)}`), '112321', '112356', '204418', '309927'];

	const instanceIds: string[] = [];
	let nextTaskId = 310;
	for (let i = 0; i < INSTANCE_COUNT; i++) {
		const approval = APPROVALS[i % APPROVALS.length];
		// The first instances walk through every status so each one is present whatever the weights draw.
		const status = i < INSTANCE_WEIGHTS.length ? INSTANCE_WEIGHTS[i][0] : weighted(random(), INSTANCE_WEIGHTS);
		const updateMs = REFERENCE_MS - Math.floor(random() * 30 * DAY_MS);
		const statuses = taskStatuses(status, 1 + Math.floor(random() * 3), random, i);
		const taskCount = statuses.length;
		const approvers = shuffled(userIds, random).slice(0, taskCount);
		// Steps happen in order within the last three days before the instance's update.
		let stepMs = updateMs - Math.floor(random() * 3 * DAY_MS);
		const tasks: ExternalTaskSync[] = statuses.map((taskStatus, step) => {
			stepMs = step === taskCount - 1 ? updateMs : stepMs + Math.floor(random() * (updateMs - stepMs));
			return { task_id: String(nextTaskId++), user_id: approvers[step], status: taskStatus, update_time: String(stepMs) };
		});
		const instanceId = `oa_${159160304 + i * 7 + Math.floor(random() * 7)}`;
		sandbox.syncInstance({
			approval_code: approval.code,
			instance_id: instanceId,
			status,
			update_time: String(updateMs),
			task_list: tasks,
		});
		instanceIds.push(instanceId);
	}
	return { appId: APP_ID, appSecret: APP_SECRET, approvals: APPROVALS.map((a) => ({ ...a })), instanceIds, userIds };
}

// Task statuses that fit the instance's: earlier steps were approved (or handed on), the last step
// decides. Instances 0 and 1 (PENDING, APPROVED) carry the rarer task statuses, so each is present.
function taskStatuses(status: InstanceStatus, count: number, random: () => number, i: number): TaskStatus[] {
	const earlier = (): TaskStatus => (random() < 0.2 ? 'TRANSFERRED' : 'APPROVED');
	const last: Record<InstanceStatus, () => TaskStatus> = {
		PENDING: () => 'PENDING',
		APPROVED: () => (random() < 0.3 ? 'DONE' : 'APPROVED'),
		REJECTED: () => 'REJECTED',
		CANCELED: () => 'DONE',
		DELETED: () => (random() < 0.5 ? 'DONE' : 'PENDING'),
		HIDDEN: () => (random() < 0.5 ? 'APPROVED' : 'DONE'),
		TERMINATED: () => 'DONE',
	};
	if (i === 0) return ['TRANSFERRED', 'APPROVED', 'PENDING'];
	if (i === 1) return ['APPROVED', 'DONE'];
	const statuses = Array.from({ length: count - 1 }, earlier);
	statuses.push(last[status]());
	return statuses;
}

function weighted<T>(r: number, weights: [T, number][]): T {
	const total = weights.reduce((sum, [, w]) => sum + w, 0);
	let at = r * total;
	for (const [value, w] of weights) {
		if (at < w) return value;
		at -= w;
	}
	return weights[weights.length - 1][0];
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
	const copy = [...items];
	for (let i = copy.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[copy[i], copy[j]] = [copy[j], copy[i]];
	}
	return copy;
}
