import { createHash, randomBytes } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { murmur3x86128 } from '../../helpers/murmur3';
import type { TaskDigest } from './digestSet';
import { DigestSet } from './digestSet';

/**
 * The trigger's memory: which task updates (approval code, instance id, task id, update_time) it
 * has seen, kept in the workflow's static data.
 *
 * Rule: a task update is remembered until it has been absent from RETAINED_POLLS (3) consecutive
 * complete polls. One poll's answer can lack a task that never changed: when an instance before a
 * page boundary leaves the list while the poll is between pages, every later instance moves up one
 * place and the first of the next page slides onto the page already read (Feishu does not document
 * whether `page_token` is an offset or a cursor, so we assume an offset). Forgetting such a task at
 * once would fire it again at the next poll. Keeping absent updates costs no real event: Feishu
 * accepts a task's change only with a strictly greater `update_time` [doc
 * https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/approval-v4/external_instance/create], so a task that comes
 * back with a change comes back as a new update.
 *
 * Bound: the memory holds exactly the task updates of the last three polls' answers, so at worst
 * three polls' worth of tasks; while the matching tasks stay put (the usual case) it is one poll's
 * worth plus the few that left in the last two polls.
 *
 * Stored form: `{ query, seed, seen, gone }`: `query` names the query (queryKey), `seed` the random
 * MurmurHash3 seed of this node's digests, `seen` the last answer's digests and `gone` two lists
 * of digests absent from the last one and the last two polls; each list is one 8-byte digest per
 * task update, concatenated, in base64 (10.7 characters a task; n8n saves static data with every
 * poll that emits, so size matters).
 *
 * Collisions: a task update is missed only if its digest equals one already remembered. The digest
 * is the first 64 bits of MurmurHash3 (x86, 128-bit), whose output behaves as random for inputs
 * not chosen against it (it passes SMHasher). With n remembered tasks that chance is n / 2^64 per
 * new update: 5.4e-14 at 1,000,000 tasks. MurmurHash3 is not cryptographic; the per-node random
 * seed keeps someone who controls task ids from computing digests offline, to hide an update
 * behind a crafted twin or to pile digests into one region of the set (digestSet.ts mixes all
 * bits too). It costs far less CPU than SHA-256 per task (test/bench/RESULTS.md, section 5).
 */
export const RETAINED_POLLS = 3;

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
 * The 8-byte digest of one task update: the first 8 bytes of MurmurHash3_x86_128 of the four
 * values, each length-prefixed. Seed 0 is the memory written before seeds existed.
 */
export function taskDigest(task: SeenTask, seed = 0): TaskDigest {
	let end = putValue(task.approvalCode, 0);
	end = putValue(task.instanceId, end);
	end = putValue(task.taskId, end);
	end = putValue(task.updateTime, end);
	murmur3x86128(keyBytes, end, seed, words);
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
 * everything it has not seen. Unchanged since 0.1.0, so an upgrade keeps the memory.
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

/** 0.1.0's nested `{ code: { instance: { task: update_time } } }`, as digests. */
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

/** What a poll compares its answer with. */
export interface TaskMemory {
	/** The seed the remembered digests were made with. */
	seed: number;
	/** Memory written before seeds existed (seed 0): moved to a random seed when safe. */
	unseeded: boolean;
	/** The last answer, then the updates absent from the last one and the last two polls. */
	generations: DigestSet[];
}

/** Whether the memory holds this digest (made with memory.seed). */
export function remembers(memory: TaskMemory, digest: TaskDigest): boolean {
	for (const generation of memory.generations) if (generation.size && generation.has(digest)) return true;
	return false;
}

/**
 * The generations after a complete poll whose answer is `answer`: the answer, then each older
 * generation without what the answer holds, the oldest dropped (RETAINED_POLLS).
 */
export function nextGenerations(memory: TaskMemory | undefined, answer: DigestSet): DigestSet[] {
	const older = memory ? memory.generations.slice(0, RETAINED_POLLS - 1) : [];
	const next = [answer, ...older.map((generation) => generation.without(answer))];
	while (next.length < RETAINED_POLLS) next.push(new DigestSet(0));
	return next;
}

/** A seed for a new memory, unknown outside this node's static data. */
export function newSeed(): number {
	return randomBytes(4).readUInt32LE(0);
}

function isSeed(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 2 ** 32;
}

/**
 * The memory for this query, or undefined when there is none: first poll after activation, changed
 * parameters, or data this version cannot read. Undefined means "record a baseline", never
 * "everything is new". Memory saved by 0.1.0 (nested form) or without a seed and `gone` is read
 * with seed 0; the poll writes it back in the current form.
 */
export function readSeenTasks(staticData: IDataObject, key: string): TaskMemory | undefined {
	if (staticData.query !== key) return undefined;
	const unseeded = staticData.seed === undefined;
	if (!unseeded && !isSeed(staticData.seed)) return undefined;
	const seed = unseeded ? 0 : (staticData.seed as number);
	let seen: DigestSet | undefined;
	if (typeof staticData.seen === 'string') seen = fromDigests(staticData.seen);
	else if (isRecord(staticData.seen) && unseeded) seen = fromNested(staticData.seen);
	if (!seen) return undefined;
	const generations = [seen];
	if (staticData.gone !== undefined) {
		if (!Array.isArray(staticData.gone)) return undefined;
		for (const stored of staticData.gone.slice(0, RETAINED_POLLS - 1)) {
			const gone = typeof stored === 'string' ? fromDigests(stored) : undefined;
			if (!gone) return undefined;
			generations.push(gone);
		}
	}
	return { seed, unseeded, generations };
}

/** Replaces the stored memory by these generations (nextGenerations), after a poll fully succeeded. */
export function writeSeenTasks(staticData: IDataObject, key: string, seed: number | undefined, generations: DigestSet[]): void {
	// Assigned whole: n8n marks the static data changed on a top-level set and saves it as JSON.
	staticData.query = key;
	if (seed === undefined) delete staticData.seed;
	else staticData.seed = seed;
	staticData.seen = generations[0].toBytes().toString('base64');
	staticData.gone = generations.slice(1).map((generation) => generation.toBytes().toString('base64'));
}

/** Number of task updates in the last poll's answer, as stored (for tests). */
export function seenTaskCount(staticData: IDataObject): number {
	if (typeof staticData.seen === 'string') return fromDigests(staticData.seen)?.size ?? 0;
	if (isRecord(staticData.seen)) return fromNested(staticData.seen)?.size ?? 0;
	return 0;
}

/** Number of task updates remembered in all generations, as stored (for the bound, and for tests). */
export function rememberedTaskCount(staticData: IDataObject): number {
	const gone = Array.isArray(staticData.gone) ? staticData.gone : [];
	return seenTaskCount(staticData) + gone.reduce((sum: number, stored) => sum + (typeof stored === 'string' ? (fromDigests(stored)?.size ?? 0) : 0), 0);
}
