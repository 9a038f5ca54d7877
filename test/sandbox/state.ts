import { createHash, randomBytes } from 'node:crypto';
import type { TaskFilter } from './listQuery';
import { TASK_STATUSES } from './listQuery';
import type { ExternalInstanceSync, ExternalTaskInstance, ExternalTaskSync, InstanceStatus, TaskStatus } from './types';

// Everything the sandbox remembers: apps, tokens, instances. No HTTP here; time comes in as an
// argument.

export const INSTANCE_STATUSES: readonly InstanceStatus[] = ['PENDING', 'APPROVED', 'REJECTED', 'CANCELED', 'DELETED', 'HIDDEN'];

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

interface StoredTask {
	task_id: string;
	user_id?: string;
	status: TaskStatus;
	update_time: string;
}

interface StoredInstance {
	approval_code: string;
	approval_id: string;
	instance_id: string;
	status: InstanceStatus;
	update_time: string;
	tasks: Map<string, StoredTask>;
}

export const DEFAULT_TENANT = 'default';

export class SyncError extends Error {
	constructor(
		readonly field: string,
		readonly description: string,
	) {
		super(`param is invalid: ${field} ${description}`);
	}
}

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

	// POST external_instances: REPLACE swaps the task list, UPDATE applies only newer update_time [doc].
	syncInstance(body: unknown, tenant: string = DEFAULT_TENANT): ExternalInstanceSync {
		const sync = validateSync(body);
		const instances = this.instancesOf(tenant);
		const key = `${sync.approval_code}\u0000${sync.instance_id}`;
		const stored = instances.get(key);
		const fresh = (task: ExternalTaskSync): StoredTask => ({
			task_id: task.task_id,
			...(task.user_id !== undefined ? { user_id: task.user_id } : {}),
			status: task.status,
			update_time: task.update_time,
		});
		if (!stored || sync.update_mode !== 'UPDATE') {
			instances.set(key, {
				approval_code: sync.approval_code,
				approval_id: approvalId(sync.approval_code),
				instance_id: sync.instance_id,
				status: sync.status,
				update_time: sync.update_time,
				tasks: new Map(sync.task_list.map((t) => [t.task_id, fresh(t)])),
			});
		} else {
			if (Number(sync.update_time) > Number(stored.update_time)) {
				stored.status = sync.status;
				stored.update_time = sync.update_time;
			}
			for (const task of sync.task_list) {
				const old = stored.tasks.get(task.task_id);
				if (!old || Number(task.update_time) > Number(old.update_time)) stored.tasks.set(task.task_id, fresh(task));
			}
		}
		this.version++;
		return this.asSynced(instances.get(key)!, sync.update_mode);
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

	private asSynced(instance: StoredInstance, updateMode: ExternalInstanceSync['update_mode']): ExternalInstanceSync {
		return {
			approval_code: instance.approval_code,
			instance_id: instance.instance_id,
			status: instance.status,
			update_time: instance.update_time,
			task_list: [...instance.tasks.values()].map((t) => ({ ...t })),
			...(updateMode ? { update_mode: updateMode } : {}),
		};
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

function validateSync(body: unknown): ExternalInstanceSync {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new SyncError('body', 'must be a JSON object');
	const b = body as Record<string, unknown>;
	requireString(b, 'approval_code', 'approval_code');
	requireString(b, 'instance_id', 'instance_id');
	requireOneOf(b.status, INSTANCE_STATUSES, 'status');
	requireMillis(b.update_time, 'update_time');
	if (b.update_mode !== undefined && b.update_mode !== 'REPLACE' && b.update_mode !== 'UPDATE') {
		throw new SyncError('update_mode', 'must be REPLACE or UPDATE');
	}
	if (!Array.isArray(b.task_list)) throw new SyncError('task_list', 'is required');
	b.task_list.forEach((task: unknown, i) => {
		const where = `task_list[${i}]`;
		if (typeof task !== 'object' || task === null) throw new SyncError(where, 'must be an object');
		const t = task as Record<string, unknown>;
		requireString(t, 'task_id', `${where}.task_id`);
		if (t.user_id !== undefined && typeof t.user_id !== 'string') throw new SyncError(`${where}.user_id`, 'must be a string');
		requireOneOf(t.status, TASK_STATUSES, `${where}.status`);
		requireMillis(t.update_time, `${where}.update_time`);
	});
	return b as unknown as ExternalInstanceSync;
}

function requireString(obj: Record<string, unknown>, key: string, field: string): void {
	if (typeof obj[key] !== 'string' || obj[key] === '') throw new SyncError(field, 'is required');
}

function requireOneOf(value: unknown, allowed: readonly string[], field: string): void {
	if (typeof value !== 'string' || !allowed.includes(value)) throw new SyncError(field, `must be one of ${allowed.join(', ')}`);
}

// Times are strings of epoch milliseconds [doc].
function requireMillis(value: unknown, field: string): void {
	if (typeof value !== 'string' || !/^\d+$/.test(value)) throw new SyncError(field, 'must be a string of epoch milliseconds');
}
