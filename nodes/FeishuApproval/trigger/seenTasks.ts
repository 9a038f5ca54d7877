import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { murmur3x86128 } from '../helpers/murmur3';
import type { TaskDigest } from './digestSet';
import { DigestSet } from './digestSet';

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
 * Collisions: a task update is missed only if its digest equals one already remembered. The digest
 * is the first 64 bits of MurmurHash3 (x86, 128-bit), whose output behaves as random for inputs
 * not chosen against it (it passes SMHasher [doc]). With n remembered tasks that chance is then
 * n / 2^64 per new update: 5.4e-14 at 1,000,000 tasks, and 5.4e-8 over a million new updates
 * against a million remembered tasks. MurmurHash3 is not cryptographic: someone who controls the
 * ids could craft two updates with one digest and so hide the second. The ids and update times
 * come from the company's own approval system, and a crafted pair costs one event, so a hash at
 * about a tenth of SHA-256's cost per task is the better trade (bench/RESULTS.md, section 5).
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

// The key of one task update, reused: a 4-byte length, then the bytes, for each of the four values.
let keyBytes = new Uint8Array(512);
const words = new Uint32Array(4);

/**
 * Writes `value` at `at` as its byte length (4 bytes, big-endian) and its WTF-8 bytes (UTF-8, with
 * a lone surrogate as 3 bytes instead of a replacement character, so two strings never share
 * bytes); returns where the next value starts. The length makes the four values one unambiguous
 * key whatever characters the ids hold (free text [doc]).
 */
function putValue(value: string, at: number): number {
	// At most 3 bytes per UTF-16 unit (a surrogate pair, 2 units, takes 4).
	const needed = at + 4 + 3 * value.length;
	if (needed > keyBytes.length) {
		const bigger = new Uint8Array(Math.max(needed, 2 * keyBytes.length));
		bigger.set(keyBytes.subarray(0, at));
		keyBytes = bigger;
	}
	let end = at + 4;
	for (let i = 0; i < value.length; i++) {
		const c = value.charCodeAt(i);
		if (c < 0x80) {
			keyBytes[end++] = c;
		} else if (c < 0x800) {
			keyBytes[end++] = 0xc0 | (c >> 6);
			keyBytes[end++] = 0x80 | (c & 0x3f);
		} else {
			const next = value.charCodeAt(i + 1);
			if (c >= 0xd800 && c < 0xdc00 && next >= 0xdc00 && next < 0xe000) {
				const point = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
				keyBytes[end++] = 0xf0 | (point >> 18);
				keyBytes[end++] = 0x80 | ((point >> 12) & 0x3f);
				keyBytes[end++] = 0x80 | ((point >> 6) & 0x3f);
				keyBytes[end++] = 0x80 | (point & 0x3f);
				i++;
			} else {
				keyBytes[end++] = 0xe0 | (c >> 12);
				keyBytes[end++] = 0x80 | ((c >> 6) & 0x3f);
				keyBytes[end++] = 0x80 | (c & 0x3f);
			}
		}
	}
	const length = end - at - 4;
	keyBytes[at] = length >>> 24;
	keyBytes[at + 1] = (length >>> 16) & 0xff;
	keyBytes[at + 2] = (length >>> 8) & 0xff;
	keyBytes[at + 3] = length & 0xff;
	return end;
}

/**
 * The 8-byte digest of one task update: the first 8 bytes of MurmurHash3_x86_128 (seed 0) of the
 * four values, each length-prefixed.
 */
export function taskDigest(task: SeenTask): TaskDigest {
	let end = putValue(task.approvalCode, 0);
	end = putValue(task.instanceId, end);
	end = putValue(task.taskId, end);
	end = putValue(task.updateTime, end);
	murmur3x86128(keyBytes, end, 0, words);
	return { lo: words[0] | 0, hi: words[1] | 0 };
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

function fromDigests(seen: string): DigestSet | undefined {
	if (!BASE64.test(seen)) return undefined;
	const bytes = Buffer.from(seen, 'base64');
	return bytes.length % DIGEST_BYTES === 0 ? DigestSet.fromBytes(bytes) : undefined;
}

/** 0.1's nested `{ code: { instance: { task: update_time } } }`, as digests. */
function fromNested(seen: Record<string, unknown>): DigestSet | undefined {
	const digests = new DigestSet();
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
export function readSeenTasks(staticData: IDataObject, key: string): DigestSet | undefined {
	if (staticData.query !== key) return undefined;
	if (typeof staticData.seen === 'string') return fromDigests(staticData.seen);
	if (isRecord(staticData.seen)) return fromNested(staticData.seen);
	return undefined;
}

/** Replaces the stored memory by exactly these digests, after a poll fully succeeded. */
export function writeSeenTasks(staticData: IDataObject, key: string, digests: DigestSet): void {
	// Assigned whole: n8n marks the static data changed on a top-level set and saves it as JSON.
	staticData.query = key;
	staticData.seen = digests.toBytes().toString('base64');
}

/** Number of remembered task updates in stored memory (for the bound, and for tests). */
export function seenTaskCount(staticData: IDataObject): number {
	if (typeof staticData.seen === 'string') return fromDigests(staticData.seen)?.size ?? 0;
	if (isRecord(staticData.seen)) return fromNested(staticData.seen)?.size ?? 0;
	return 0;
}
