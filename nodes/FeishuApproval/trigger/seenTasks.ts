import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

/**
 * The trigger's memory: which task updates (approval code, instance id, task id, update_time) it
 * has seen, kept in the workflow's static data.
 *
 * Bound: the memory is replaced after every successful poll by exactly the tasks of that poll's
 * answer, so an entry lives only while its task still matches the query (approval codes, status,
 * user ids). A task that leaves the watched status drops out at the next poll.
 *
 * Stored form: `{ query: '<hash of the query>', seen: '<base64>' }`, where `seen` is one 8-byte
 * digest per task update, concatenated. n8n writes the static data to its database with every
 * poll that emits, so size matters: 8 bytes are 10.7 characters of base64, against about 42 for
 * the nested JSON of version 0.1 (4.1 MB at 100,000 matching tasks, now 1.07 MB).
 *
 * Collisions: a task update is missed only if its digest equals one already remembered. With 64
 * bits and n remembered tasks that chance is n / 2^64 per new update: 5.4e-14 at 1,000,000 tasks,
 * and 5.4e-8 over a million new updates against a million remembered tasks.
 */
export interface StoredMemory {
	query: string;
	seen: string;
}

/** Version 0.1's form, read once and converted: dropping it would re-baseline and swallow events. */
export interface StoredMemoryV1 {
	query: string;
	seen: Record<string, Record<string, Record<string, string>>>;
}

const DIGEST_BYTES = 8;

/** A task update as the memory records it. */
export interface SeenTask {
	approvalCode: string;
	instanceId: string;
	taskId: string;
	updateTime: string;
}

/**
 * The 8-byte digest of one task update, as a latin1 string (one char per byte) for Set lookups.
 * JSON of the four values, so no separator inside the ids (free text [doc]) can make two collide.
 */
export function taskDigest(task: SeenTask): string {
	return createHash('sha256')
		.update(JSON.stringify([task.approvalCode, task.instanceId, task.taskId, task.updateTime]))
		.digest()
		.toString('latin1', 0, DIGEST_BYTES);
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
 * everything it has not seen. Unchanged since 0.1, so an upgrade keeps the memory.
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

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function fromDigests(seen: string): Set<string> | undefined {
	if (!BASE64.test(seen)) return undefined;
	const bytes = Buffer.from(seen, 'base64');
	if (bytes.length % DIGEST_BYTES !== 0) return undefined;
	const digests = new Set<string>();
	for (let at = 0; at < bytes.length; at += DIGEST_BYTES) digests.add(bytes.toString('latin1', at, at + DIGEST_BYTES));
	return digests;
}

/** 0.1's nested `{ code: { instance: { task: update_time } } }`, as digests. */
function fromNested(seen: Record<string, unknown>): Set<string> | undefined {
	const digests = new Set<string>();
	for (const [approvalCode, instances] of Object.entries(seen)) {
		if (!isRecord(instances)) return undefined;
		for (const [instanceId, tasks] of Object.entries(instances)) {
			if (!isRecord(tasks)) return undefined;
			for (const [taskId, updateTime] of Object.entries(tasks)) {
				if (typeof updateTime !== 'string') return undefined;
				digests.add(taskDigest({ approvalCode, instanceId, taskId, updateTime }));
			}
		}
	}
	return digests;
}

/**
 * The digests remembered for this query, or undefined when there is none: first poll after
 * activation, changed parameters, or data this version cannot read. Undefined means "record a
 * baseline", never "everything is new". Memory in 0.1's form is converted here; the poll then
 * writes it back in the new form.
 */
export function readSeenTasks(staticData: IDataObject, key: string): Set<string> | undefined {
	if (staticData.query !== key) return undefined;
	if (typeof staticData.seen === 'string') return fromDigests(staticData.seen);
	if (isRecord(staticData.seen)) return fromNested(staticData.seen);
	return undefined;
}

/** Replaces the stored memory by exactly these digests (from taskDigest), after a poll fully succeeded. */
export function writeSeenTasks(staticData: IDataObject, key: string, digests: Iterable<string>): void {
	const all = [...digests];
	const bytes = Buffer.allocUnsafe(all.length * DIGEST_BYTES);
	all.forEach((digest, n) => bytes.write(digest, n * DIGEST_BYTES, DIGEST_BYTES, 'latin1'));
	// Assigned whole: n8n marks the static data changed on a top-level set and saves it as JSON.
	staticData.query = key;
	staticData.seen = bytes.toString('base64');
}

/** Number of remembered task updates in stored memory (for the bound, and for tests). */
export function seenTaskCount(staticData: IDataObject): number {
	if (typeof staticData.seen === 'string') return fromDigests(staticData.seen)?.size ?? 0;
	if (isRecord(staticData.seen)) return fromNested(staticData.seen)?.size ?? 0;
	return 0;
}
