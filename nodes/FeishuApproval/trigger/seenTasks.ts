import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

/**
 * The trigger's memory: which (approval code, instance id, task id) it last saw with which
 * `update_time`, kept in the workflow's static data.
 *
 * Bound: the memory is replaced after every successful poll by exactly the tasks of that poll's
 * answer, so an entry lives only while its task still matches the query (approval codes, status,
 * user ids). A task that leaves the watched status drops out at the next poll; the number of
 * entries never exceeds the number of matching tasks.
 *
 * Stored form, plain JSON because n8n saves static data as JSON between polls (a Map or Set would
 * not survive):
 *   { query: '<hash of the query>', seen: { [approval_code]: { [instance_id]: { [task_id]: update_time } } } }
 * Nesting stores each code and instance id once, and needs no separator character inside the
 * ids, which are free text chosen by the third-party system [doc].
 */
export interface StoredMemory {
	query: string;
	seen: Record<string, Record<string, Record<string, string>>>;
}

/** What a poll works with: key of (approval code, instance id, task id) -> update_time. */
export type SeenTasks = Map<string, string>;

export interface TaskRef {
	approvalCode: string;
	instanceId: string;
	taskId: string;
}

/** An unambiguous key for a task: JSON of the three ids, so no separator can collide with them. */
export function taskKey(task: TaskRef): string {
	return JSON.stringify([task.approvalCode, task.instanceId, task.taskId]);
}

export interface MemoryQuery {
	origin: string;
	appId: string;
	approvalCodes: string[];
	status: string;
	userIds: string[];
}

/**
 * Names what the memory was recorded for. Changing the codes, status, user ids or the app (another
 * tenant's data) gives a new key, so the next poll records a new baseline instead of firing for
 * everything it has not seen. The leading version re-baselines if the stored form ever changes.
 */
export function queryKey(query: MemoryQuery): string {
	const canonical = JSON.stringify([
		'v1',
		query.origin,
		query.appId,
		[...query.approvalCodes].sort(),
		query.status,
		[...query.userIds].sort(),
	]);
	return createHash('sha256').update(canonical).digest('hex').slice(0, 24);
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The memory recorded for this query, or undefined when there is none: first poll after
 * activation, changed parameters, or data this version cannot read. Undefined means "record a
 * baseline", never "everything is new".
 */
export function readSeenTasks(staticData: IDataObject, key: string): SeenTasks | undefined {
	if (staticData.query !== key || !isRecord(staticData.seen)) return undefined;
	const seen: SeenTasks = new Map();
	for (const [approvalCode, instances] of Object.entries(staticData.seen)) {
		if (!isRecord(instances)) return undefined;
		for (const [instanceId, tasks] of Object.entries(instances)) {
			if (!isRecord(tasks)) return undefined;
			for (const [taskId, updateTime] of Object.entries(tasks)) {
				if (typeof updateTime !== 'string') return undefined;
				seen.set(taskKey({ approvalCode, instanceId, taskId }), updateTime);
			}
		}
	}
	return seen;
}

/** A task as the memory records it. */
export interface SeenTask extends TaskRef {
	updateTime: string;
}

/** Replaces the stored memory by exactly `tasks`, after a poll fully succeeded. */
export function writeSeenTasks(staticData: IDataObject, key: string, tasks: Iterable<SeenTask>): void {
	// Prototype-less objects: an id such as "__proto__" stays a plain key instead of reaching
	// Object.prototype.
	const nested: StoredMemory['seen'] = Object.create(null);
	for (const task of tasks) {
		nested[task.approvalCode] ??= Object.create(null);
		nested[task.approvalCode][task.instanceId] ??= Object.create(null);
		nested[task.approvalCode][task.instanceId][task.taskId] = task.updateTime;
	}
	// Assigned whole: n8n marks the static data changed on a top-level set and saves it as JSON.
	staticData.query = key;
	staticData.seen = nested as IDataObject;
}

/** Number of remembered tasks in stored memory (for the bound, and for tests). */
export function seenTaskCount(staticData: IDataObject): number {
	if (!isRecord(staticData.seen)) return 0;
	let count = 0;
	for (const instances of Object.values(staticData.seen)) {
		if (!isRecord(instances)) continue;
		for (const tasks of Object.values(instances)) if (isRecord(tasks)) count += Object.keys(tasks).length;
	}
	return count;
}
