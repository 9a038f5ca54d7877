import { createHash, randomBytes } from 'node:crypto';
import { FAMILY_INSTANCE_STATUSES, validateCheck, validateDefinition, validateInstance } from './family';
import type { TaskFilter } from './listQuery';
import { SyncError } from './syncError';
import type { ExternalTaskInstance, InstanceStatus, TaskStatus } from './types';

// Everything the sandbox remembers: apps, tokens, instances. No HTTP here; time comes in as an
// argument.

export const INSTANCE_STATUSES: readonly InstanceStatus[] = FAMILY_INSTANCE_STATUSES;

// A token keeps being handed out while it has at least this long to live [doc].
const SAME_TOKEN_MIN_LEFT_MS = 30 * 60 * 1000;

export type TokenExchange =
	| { code: 0; token: string; expire: number }
	| { code: 10003; msg: 'invalid param' }
	| { code: 10014; msg: 'app secret invalid' };

interface IssuedToken {
	token: string;
	appId: string;
	expiresAt: number;
}

type Obj = Record<string, unknown>;

interface StoredTask {
	task_id: string;
	user_id?: string;
	status: TaskStatus;
	// The task's effective stamp: its own update_time, else the instance's.
	update_time: string;
	record: Obj;
}

interface StoredCc {
	cc_id: string;
	update_time: string;
	record: Obj;
}

interface StoredInstance {
	approval_code: string;
	approval_id: string;
	instance_id: string;
	status: InstanceStatus;
	update_time: string;
	// The instance's fields as last accepted, without task_list and cc_list.
	record: Obj;
	tasks: Map<string, StoredTask>;
	ccs: Map<string, StoredCc>;
}

interface StoredDefinition {
	body: Obj;
	deleted: boolean;
}

export interface Counts {
	insert_num: number;
	update_num: number;
	delete_num: number;
}

/** What one sync changed; the SDK types it as `process_record` [sdk]. */
export interface ProcessRecord {
	instance: Counts;
	task: Counts;
	cc: Counts;
}

export interface SyncResult {
	// The instance as sent [doc: data.data echoes the instance].
	echo: Obj;
	process_record: ProcessRecord;
}

export type DefinitionLookup = { found: Obj } | { missing: 'unknown' | 'deleted' };

export interface CheckDiff {
	instance_id: string;
	update_time: string;
	tasks: Array<{ task_id: string; update_time: string }>;
}

const zero = (): Counts => ({ insert_num: 0, update_num: 0, delete_num: 0 });

// Frozen in UPDATE mode [doc D-inst].
const FROZEN_INSTANCE = ['approval_code', 'instance_id', 'department_id', 'department_name'];
const FROZEN_TASK = ['task_id', 'user_id', 'open_id', 'create_time', 'node_id', 'node_name'];
const FROZEN_CC = ['cc_id', 'user_id', 'open_id', 'create_time'];

function keep(record: Obj, previous: Obj, frozen: string[]): Obj {
	const merged = { ...previous, ...record };
	for (const key of frozen) {
		if (key in previous) merged[key] = previous[key];
		else delete merged[key];
	}
	return merged;
}

export const DEFAULT_TENANT = 'default';

export { SyncError };

export class SandboxState {
	// app id -> secret and tenant. Apps of one tenant see the same instances; each app is its own
	// tenant unless told otherwise, so tests that use a fresh app never see each other's data.
	private readonly apps = new Map<string, { secret: string; tenant: string }>();
	private readonly tokens = new Map<string, IssuedToken>();
	private readonly latestToken = new Map<string, IssuedToken>();
	// Per tenant, keyed by approval code and instance id; a Map keeps first-insertion order, and
	// re-setting an existing key keeps its place, which is the listing order.
	private readonly tenants = new Map<string, Map<string, StoredInstance>>();
	// Listing results are recomputed only after a sync, so paging a large benchmark set stays cheap.
	private version = 0;
	private readonly listCache = new Map<string, { version: number; result: ExternalTaskInstance[] }>();
	// Per tenant: definitions by approval code, and the group codes known so far.
	private readonly definitions = new Map<string, Map<string, StoredDefinition>>();
	private readonly groups = new Map<string, Set<string>>();

	constructor(private readonly tokenExpireSeconds: number) {}

	addApp(appId: string, appSecret: string, tenant: string = DEFAULT_TENANT): void {
		this.apps.set(appId, { secret: appSecret, tenant });
	}

	tenantOf(appId: string): string {
		return this.apps.get(appId)?.tenant ?? DEFAULT_TENANT;
	}

	private instancesOf(tenant: string): Map<string, StoredInstance> {
		let instances = this.tenants.get(tenant);
		if (!instances) this.tenants.set(tenant, (instances = new Map()));
		return instances;
	}

	exchangeToken(appId: unknown, appSecret: unknown, now: number): TokenExchange {
		if (typeof appId !== 'string' || !this.apps.has(appId)) return { code: 10003, msg: 'invalid param' };
		if (this.apps.get(appId)?.secret !== appSecret) return { code: 10014, msg: 'app secret invalid' };
		const current = this.latestToken.get(appId);
		if (current && current.expiresAt - now >= SAME_TOKEN_MIN_LEFT_MS) {
			return { code: 0, token: current.token, expire: Math.floor((current.expiresAt - now) / 1000) };
		}
		// The previous token is not revoked: both stay valid until their own expiry [doc].
		const issued: IssuedToken = {
			token: `t-${randomBytes(16).toString('hex')}`,
			appId,
			expiresAt: now + this.tokenExpireSeconds * 1000,
		};
		this.tokens.set(issued.token, issued);
		this.latestToken.set(appId, issued);
		this.forgetExpired(now);
		return { code: 0, token: issued.token, expire: this.tokenExpireSeconds };
	}

	// The app id behind a token that is known and not expired.
	resolveToken(token: string | undefined, now: number): string | undefined {
		if (!token) return undefined;
		const issued = this.tokens.get(token);
		return issued && issued.expiresAt > now ? issued.appId : undefined;
	}

	expireTokens(): void {
		this.tokens.clear();
		this.latestToken.clear();
	}

	private definitionsOf(tenant: string): Map<string, StoredDefinition> {
		let definitions = this.definitions.get(tenant);
		if (!definitions) this.definitions.set(tenant, (definitions = new Map()));
		return definitions;
	}

	// POST external_approvals: a known code is updated, an unknown one created [doc D-def]. The
	// answer's code is the one sent (D-get says so; D-def hints at server codes, untestable here).
	upsertDefinition(body: unknown, query: Record<string, string>, tenant: string = DEFAULT_TENANT): string {
		const check = validateDefinition(body, query);
		const groups = this.groupsOf(tenant);
		// An unknown group is created, and needs its name [doc].
		if (check.groupCode && !groups.has(check.groupCode) && !check.groupName) {
			throw new SyncError('group_name', 'is required when group_code is new');
		}
		if (check.groupCode) groups.add(check.groupCode);
		this.definitionsOf(tenant).set(check.approvalCode, { body: structuredClone(body as Obj), deleted: false });
		return check.approvalCode;
	}

	// GET external_approvals/:approval_code: the create fields back, callback secrets in clear [doc D-get].
	getDefinition(approvalCode: string, tenant: string = DEFAULT_TENANT): DefinitionLookup {
		const stored = this.definitionsOf(tenant).get(approvalCode);
		if (!stored) return { missing: 'unknown' };
		if (stored.deleted) return { missing: 'deleted' };
		return { found: structuredClone(stored.body) };
	}

	/** No API deletes a definition; tests mark one deleted to see 1390016. */
	deleteDefinition(approvalCode: string, tenant: string = DEFAULT_TENANT): void {
		const stored = this.definitionsOf(tenant).get(approvalCode);
		if (stored) stored.deleted = true;
	}

	private groupsOf(tenant: string): Set<string> {
		let groups = this.groups.get(tenant);
		if (!groups) this.groups.set(tenant, (groups = new Set()));
		return groups;
	}

	// POST external_instances [doc D-inst, D-ifaq, D-faq]. REPLACE: no stamp check, the request
	// becomes the whole truth (absent tasks and ccs deleted; approval_code and instance_id stay).
	// UPDATE: the instance, each task and each cc apply only when their update_time is strictly
	// newer than the last accepted one; a stale instance stamp updates nothing; unsent tasks and
	// ccs are kept; frozen fields keep their first value. A stale write is answered as a success
	// (the documentation does not say otherwise [guess]); process_record tells what happened.
	syncInstance(body: unknown, tenant: string = DEFAULT_TENANT): SyncResult {
		const check = validateInstance(body);
		const b = body as Obj;
		const instances = this.instancesOf(tenant);
		const stored = instances.get(check.instanceId);
		const record: ProcessRecord = { instance: zero(), task: zero(), cc: zero() };
		const { task_list: taskList = [], cc_list: ccList = [], ...fields } = structuredClone(b) as Obj & { task_list?: Obj[]; cc_list?: Obj[] };
		const updateTime = String(fields.update_time);
		const taskOf = (t: Obj, previous?: StoredTask): StoredTask => {
			const merged = previous ? keep(t, previous.record, FROZEN_TASK) : t;
			return {
				task_id: String(merged.task_id),
				...(typeof merged.user_id === 'string' ? { user_id: merged.user_id } : {}),
				status: merged.status as TaskStatus,
				update_time: typeof t.update_time === 'string' ? t.update_time : updateTime,
				record: merged,
			};
		};
		const ccOf = (c: Obj, previous?: StoredCc): StoredCc => {
			const merged = previous ? keep(c, previous.record, FROZEN_CC) : c;
			return { cc_id: String(merged.cc_id), update_time: String(c.update_time), record: merged };
		};

		if (!stored || check.updateMode === 'REPLACE') {
			const tasks = new Map(taskList.map((t) => [String(t.task_id), taskOf(t)]));
			const ccs = new Map(ccList.map((c) => [String(c.cc_id), ccOf(c)]));
			if (stored) {
				record.instance.update_num = 1;
				for (const id of tasks.keys()) record.task[stored.tasks.has(id) ? 'update_num' : 'insert_num']++;
				for (const id of stored.tasks.keys()) if (!tasks.has(id)) record.task.delete_num++;
				for (const id of ccs.keys()) record.cc[stored.ccs.has(id) ? 'update_num' : 'insert_num']++;
				for (const id of stored.ccs.keys()) if (!ccs.has(id)) record.cc.delete_num++;
			} else {
				record.instance.insert_num = 1;
				record.task.insert_num = tasks.size;
				record.cc.insert_num = ccs.size;
			}
			const approvalCode = stored?.approval_code ?? String(fields.approval_code);
			instances.set(check.instanceId, {
				approval_code: approvalCode,
				approval_id: approvalId(approvalCode),
				instance_id: check.instanceId,
				status: fields.status as InstanceStatus,
				update_time: updateTime,
				record: { ...fields, approval_code: approvalCode },
				tasks,
				ccs,
			});
		} else if (Number(updateTime) > Number(stored.update_time)) {
			stored.record = keep(fields, stored.record, FROZEN_INSTANCE);
			stored.status = fields.status as InstanceStatus;
			stored.update_time = updateTime;
			record.instance.update_num = 1;
			for (const t of taskList) {
				const previous = stored.tasks.get(String(t.task_id));
				const next = taskOf(t, previous);
				if (!previous) record.task.insert_num++;
				else if (Number(next.update_time) > Number(previous.update_time)) record.task.update_num++;
				else continue;
				stored.tasks.set(next.task_id, next);
			}
			for (const c of ccList) {
				const previous = stored.ccs.get(String(c.cc_id));
				const next = ccOf(c, previous);
				if (!previous) record.cc.insert_num++;
				else if (Number(next.update_time) > Number(previous.update_time)) record.cc.update_num++;
				else continue;
				stored.ccs.set(next.cc_id, next);
			}
		}
		this.version++;
		return { echo: structuredClone(b), process_record: record };
	}

	/**
	 * POST external_instances/check [doc D-chk, D-ifaq]: an unknown instance comes back with
	 * update_time "0" and no tasks; a known one comes back when its stamp or any sent task's stamp
	 * differs from what is stored, with the stored stamps ("0" for an unknown task); tasks that
	 * match are left out; nothing differs: an empty list.
	 */
	checkInstances(body: unknown, tenant: string = DEFAULT_TENANT): CheckDiff[] {
		const sent = validateCheck(body);
		const instances = this.instancesOf(tenant);
		const diffs: CheckDiff[] = [];
		for (const instance of sent) {
			const stored = instances.get(instance.instance_id);
			if (!stored) {
				diffs.push({ instance_id: instance.instance_id, update_time: '0', tasks: [] });
				continue;
			}
			const tasks = instance.tasks
				.map((t) => ({ task_id: t.task_id, sent: t.update_time, update_time: stored.tasks.get(t.task_id)?.update_time ?? '0' }))
				.filter((t) => t.sent !== t.update_time)
				.map(({ task_id, update_time }) => ({ task_id, update_time }));
			if (stored.update_time !== instance.update_time || tasks.length > 0) {
				diffs.push({ instance_id: instance.instance_id, update_time: stored.update_time, tasks });
			}
		}
		return diffs;
	}

	/** The stored instance with its tasks and ccs, for tests to look at. */
	storedInstance(instanceId: string, tenant: string = DEFAULT_TENANT): Obj | undefined {
		const stored = this.instancesOf(tenant).get(instanceId);
		if (!stored) return undefined;
		return structuredClone({
			...stored.record,
			task_list: [...stored.tasks.values()].map((t) => t.record),
			cc_list: [...stored.ccs.values()].map((c) => c.record),
		});
	}

	instanceCount(tenant?: string): number {
		if (tenant !== undefined) return this.tenants.get(tenant)?.size ?? 0;
		let count = 0;
		for (const instances of this.tenants.values()) count += instances.size;
		return count;
	}

	// Every matching instance in listing order, shaped as GET external_tasks returns it [doc].
	listInstances(filter: TaskFilter, tenant: string, filterKey: string): ExternalTaskInstance[] {
		const cacheKey = `${tenant}\u0000${filterKey}`;
		const cached = this.listCache.get(cacheKey);
		if (cached && cached.version === this.version) return cached.result;
		const result: ExternalTaskInstance[] = [];
		for (const instance of this.instancesOf(tenant).values()) {
			const tasks = matchingTasks(instance, filter);
			if (tasks) result.push(output(instance, tasks));
		}
		if (this.listCache.size >= 32) this.listCache.clear();
		this.listCache.set(cacheKey, { version: this.version, result });
		return result;
	}

	private forgetExpired(now: number): void {
		for (const [token, issued] of this.tokens) if (issued.expiresAt <= now) this.tokens.delete(token);
	}
}

// The tasks of an instance that the filter selects, or undefined when the instance is not listed.
// instance_ids lists whole instances; the other modes list instances having at least one task with
// the status (and, with user ids, assigned to one of them) and carry only those tasks [doc].
function matchingTasks(instance: StoredInstance, filter: TaskFilter): StoredTask[] | undefined {
	const all = [...instance.tasks.values()];
	if (filter.mode === 'instanceIds') return filter.instanceIds.includes(instance.instance_id) ? all : undefined;
	if (!filter.approvalCodes.includes(instance.approval_code)) return undefined;
	const users = filter.mode === 'approvers' ? filter.userIds : undefined;
	const tasks = all.filter((t) => t.status === filter.status && (!users || (t.user_id !== undefined && users.includes(t.user_id))));
	return tasks.length > 0 ? tasks : undefined;
}

// user_id is not part of the answer [doc].
function output(instance: StoredInstance, tasks: StoredTask[]): ExternalTaskInstance {
	return {
		instance_id: instance.instance_id,
		approval_id: instance.approval_id,
		approval_code: instance.approval_code,
		status: instance.status,
		update_time: instance.update_time,
		tasks: tasks.map((t) => ({ id: t.task_id, status: t.status, update_time: t.update_time })),
	};
}

// approval_id is assigned by the server [doc]; derived from the code so it is stable everywhere
// (demo data, several sandboxes) and looks like Feishu's long numeric ids.
export function approvalId(approvalCode: string): string {
	const n = createHash('sha256').update(approvalCode).digest().readBigUInt64BE(0) % 10n ** 18n;
	return `7${n.toString().padStart(18, '0')}`;
}

