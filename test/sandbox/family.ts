import { SyncError } from './syncError';

// Validation of the third-party approval family's write bodies, to the letter of
// external-approval-family.md ([doc] rules only; where the documentation leaves a point open the
// comment says what the sandbox does). Each failure throws SyncError naming the field; the
// endpoint answers it as 400 / 1390001 with a field violation.

export const LOCALES = [
	'zh-CN', 'en-US', 'ja-JP', 'zh-HK', 'zh-TW', 'de-DE', 'es-ES', 'fr-FR',
	'id-ID', 'it-IT', 'ko-KR', 'pt-BR', 'th-TH', 'vi-VN', 'ms-MY', 'ru-RU',
] as const; // [doc] 16 locales

export const FAMILY_INSTANCE_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'CANCELED', 'DELETED', 'HIDDEN', 'TERMINATED'] as const;
export const FAMILY_TASK_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'TRANSFERRED', 'DONE'] as const;
export const VIEWER_TYPES = ['TENANT', 'DEPARTMENT', 'USER', 'NONE'] as const;
const DISPLAY_METHODS = ['BROWSER', 'SIDEBAR', 'NORMAL', 'TRUSTEESHIP'] as const;

export const MAX_APPROVAL_CODE = 128; // [doc]
export const MIN_APPROVAL_NAME = 9; // [doc] "@i18n@" plus at least 3
export const MAX_VIEWERS = 200; // [doc]
export const MAX_MANAGERS = 200; // [doc]
export const MAX_TASKS = 300; // [doc] D-inst (the Lark page says 200; the Feishu page is newer)
export const MAX_CCS = 200; // [doc]
export const MAX_FORM_CHARS = 2048; // [doc]
export const MAX_ACTION_CONFIGS = 2; // [doc]

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireObj(value: unknown, field: string): Obj {
	if (!isObj(value)) throw new SyncError(field, 'is required and must be an object');
	return value;
}

function requireString(obj: Obj, key: string, field: string): string {
	const value = obj[key];
	if (typeof value !== 'string' || value === '') throw new SyncError(field, 'is required');
	return value;
}

function optionalString(obj: Obj, key: string, field: string): string | undefined {
	const value = obj[key];
	if (value === undefined) return undefined;
	if (typeof value !== 'string') throw new SyncError(field, 'must be a string');
	return value;
}

function optionalBool(obj: Obj, key: string, field: string): void {
	if (obj[key] !== undefined && typeof obj[key] !== 'boolean') throw new SyncError(field, 'must be a boolean');
}

export function requireOneOf(value: unknown, allowed: readonly string[], field: string): string {
	if (typeof value !== 'string' || !allowed.includes(value)) throw new SyncError(field, `must be one of ${allowed.join(', ')}`);
	return value;
}

function optionalOneOf(obj: Obj, key: string, allowed: readonly string[], field: string): void {
	if (obj[key] !== undefined) requireOneOf(obj[key], allowed, field);
}

// Times are strings of epoch milliseconds [doc]; an unfinished end_time is "0" (one official
// example sends the number 0, so that one number is accepted where "0" is).
export function requireMillis(obj: Obj, key: string, field: string, zeroAllowed = false): string {
	const value = obj[key];
	if (zeroAllowed && (value === 0 || value === '0')) return '0';
	if (typeof value !== 'string' || !/^\d+$/.test(value)) throw new SyncError(field, 'must be a string of epoch milliseconds');
	return value;
}

function optionalMillis(obj: Obj, key: string, field: string): string | undefined {
	return obj[key] === undefined ? undefined : requireMillis(obj, key, field);
}

function optionalArray(obj: Obj, key: string, field: string, max?: number): unknown[] {
	const value = obj[key];
	if (value === undefined) return [];
	if (!Array.isArray(value)) throw new SyncError(field, 'must be a list');
	if (max !== undefined && value.length > max) throw new SyncError(field, `has ${value.length} entries, at most ${max} are allowed`);
	return value;
}

/** Collects the i18n keys a body uses, to check them against i18n_resources. */
class I18nKeys {
	readonly used: Array<{ key: string; field: string }> = [];

	require(obj: Obj, key: string, field: string): string {
		const value = requireString(obj, key, field);
		return this.check(value, field);
	}

	optional(obj: Obj, key: string, field: string): string | undefined {
		const value = optionalString(obj, key, field);
		return value === undefined || value === '' ? undefined : this.check(value, field);
	}

	private check(value: string, field: string): string {
		if (!value.startsWith('@i18n@')) throw new SyncError(field, 'must be an i18n key starting with @i18n@');
		this.used.push({ key: value, field });
		return value;
	}
}

/**
 * i18n_resources: each locale one of the 16, texts {key, value}; the default locale (is_default)
 * must hold every key the body uses [doc]. Returns the default locale's texts.
 */
function checkI18nResources(body: Obj, keys: I18nKeys, required: boolean): Map<string, string> {
	const resources = body.i18n_resources;
	if (resources === undefined && !required && keys.used.length === 0) return new Map();
	if (!Array.isArray(resources) || resources.length === 0) throw new SyncError('i18n_resources', 'is required');
	let defaults: Map<string, string> | undefined;
	resources.forEach((resource: unknown, i) => {
		const where = `i18n_resources[${i}]`;
		const r = requireObj(resource, where);
		requireOneOf(r.locale, LOCALES, `${where}.locale`);
		optionalBool(r, 'is_default', `${where}.is_default`);
		if (!Array.isArray(r.texts)) throw new SyncError(`${where}.texts`, 'is required');
		const texts = new Map<string, string>();
		r.texts.forEach((text: unknown, t) => {
			const tw = `${where}.texts[${t}]`;
			const entry = requireObj(text, tw);
			const key = requireString(entry, 'key', `${tw}.key`);
			if (typeof entry.value !== 'string') throw new SyncError(`${tw}.value`, 'is required');
			texts.set(key, entry.value);
		});
		if (r.is_default === true && !defaults) defaults = texts;
	});
	if (!defaults) throw new SyncError('i18n_resources', 'needs one locale with is_default true');
	for (const { key, field } of keys.used) {
		if (!defaults.has(key)) throw new SyncError(field, `key ${key} has no text in the default locale of i18n_resources`);
	}
	return defaults;
}

function checkLinks(obj: Obj, field: string): void {
	const links = requireObj(obj.links, field);
	const pc = optionalString(links, 'pc_link', `${field}.pc_link`);
	const mobile = optionalString(links, 'mobile_link', `${field}.mobile_link`);
	// The table marks pc_link required, the text says at least one link [doc]: at least one.
	if (!pc && !mobile) throw new SyncError(field, 'needs pc_link or mobile_link');
}

// user_id / open_id: at least one [doc].
function checkUser(obj: Obj, field: string): void {
	const userId = optionalString(obj, 'user_id', `${field}.user_id`);
	const openId = optionalString(obj, 'open_id', `${field}.open_id`);
	if (!userId && !openId) throw new SyncError(`${field}.user_id`, 'or open_id is required');
}

// ---------------------------------------------------------------- definitions

export interface DefinitionCheck {
	approvalCode: string;
	groupCode?: string;
	groupName?: string;
}

/** POST external_approvals [doc D-def]. */
export function validateDefinition(body: unknown, query: Record<string, string>): DefinitionCheck {
	if (query.user_id_type !== undefined) requireOneOf(query.user_id_type, ['open_id', 'union_id', 'user_id'], 'user_id_type');
	if (query.department_id_type !== undefined) {
		requireOneOf(query.department_id_type, ['department_id', 'open_department_id'], 'department_id_type');
	}
	const b = requireObj(body, 'body');
	const keys = new I18nKeys();
	const name = keys.require(b, 'approval_name', 'approval_name');
	if (name.length < MIN_APPROVAL_NAME) throw new SyncError('approval_name', `must be at least ${MIN_APPROVAL_NAME} characters`);
	const approvalCode = requireString(b, 'approval_code', 'approval_code');
	if (approvalCode.length > MAX_APPROVAL_CODE) throw new SyncError('approval_code', `must be at most ${MAX_APPROVAL_CODE} characters`);
	const groupCode = optionalString(b, 'group_code', 'group_code') || undefined;
	const groupName = keys.optional(b, 'group_name', 'group_name');
	keys.optional(b, 'description', 'description');
	const external = requireObj(b.external, 'external');
	keys.optional(external, 'biz_name', 'external.biz_name');
	for (const key of ['biz_type', 'create_link_pc', 'create_link_mobile', 'action_callback_url', 'action_callback_token', 'action_callback_key']) {
		optionalString(external, key, `external.${key}`);
	}
	for (const key of ['support_pc', 'support_mobile', 'support_batch_read', 'enable_mark_readed', 'enable_quick_operate', 'allow_batch_operate', 'exclude_efficiency_statistics']) {
		optionalBool(external, key, `external.${key}`);
	}
	// Both default to false and may not both be false [doc].
	if (external.support_pc !== true && external.support_mobile !== true) {
		throw new SyncError('external.support_pc', 'and external.support_mobile cannot both be false');
	}
	optionalArray(b, 'viewers', 'viewers', MAX_VIEWERS).forEach((viewer, i) => {
		const v = requireObj(viewer, `viewers[${i}]`);
		const type = requireOneOf(v.viewer_type, VIEWER_TYPES, `viewers[${i}].viewer_type`);
		if (type === 'USER') requireString(v, 'viewer_user_id', `viewers[${i}].viewer_user_id`);
		if (type === 'DEPARTMENT') requireString(v, 'viewer_department_id', `viewers[${i}].viewer_department_id`);
	});
	optionalArray(b, 'managers', 'managers', MAX_MANAGERS).forEach((manager, i) => {
		if (typeof manager !== 'string' || !manager) throw new SyncError(`managers[${i}]`, 'must be a user id');
	});
	checkI18nResources(b, keys, false);
	return { approvalCode, groupCode, groupName };
}

// ---------------------------------------------------------------- instances

export interface InstanceCheck {
	instanceId: string;
	updateMode: 'REPLACE' | 'UPDATE';
}

/** POST external_instances [doc D-inst]. */
export function validateInstance(body: unknown): InstanceCheck {
	const b = requireObj(body, 'body');
	const keys = new I18nKeys();
	requireString(b, 'approval_code', 'approval_code');
	const status = requireOneOf(b.status, FAMILY_INSTANCE_STATUSES, 'status');
	const instanceId = requireString(b, 'instance_id', 'instance_id');
	checkLinks(b, 'links');
	keys.optional(b, 'title', 'title');
	const form = optionalArray(b, 'form', 'form').map((field, i) => {
		const f = requireObj(field, `form[${i}]`);
		return { name: keys.require(f, 'name', `form[${i}].name`), value: keys.require(f, 'value', `form[${i}].value`) };
	});
	// The documented cleanup is a REPLACE with status APPROVED and no user_id [doc], so the
	// initiator is required everywhere else.
	const updateMode = b.update_mode === undefined ? 'REPLACE' : (requireOneOf(b.update_mode, ['REPLACE', 'UPDATE'], 'update_mode') as InstanceCheck['updateMode']);
	if (!(updateMode === 'REPLACE' && status === 'APPROVED')) checkUser(b, 'initiator');
	keys.optional(b, 'user_name', 'user_name');
	keys.optional(b, 'department_name', 'department_name');
	optionalString(b, 'department_id', 'department_id');
	requireMillis(b, 'start_time', 'start_time');
	requireMillis(b, 'end_time', 'end_time', true);
	requireMillis(b, 'update_time', 'update_time');
	optionalOneOf(b, 'display_method', DISPLAY_METHODS, 'display_method');
	optionalString(b, 'extra', 'extra');
	optionalArray(b, 'task_list', 'task_list', MAX_TASKS).forEach((task, i) => {
		const where = `task_list[${i}]`;
		const t = requireObj(task, where);
		requireString(t, 'task_id', `${where}.task_id`);
		checkUser(t, where);
		keys.optional(t, 'title', `${where}.title`);
		checkLinks(t, `${where}.links`);
		requireOneOf(t.status, FAMILY_TASK_STATUSES, `${where}.status`);
		optionalString(t, 'extra', `${where}.extra`);
		requireMillis(t, 'create_time', `${where}.create_time`);
		requireMillis(t, 'end_time', `${where}.end_time`, true);
		optionalMillis(t, 'update_time', `${where}.update_time`);
		optionalString(t, 'action_context', `${where}.action_context`);
		optionalArray(t, 'action_configs', `${where}.action_configs`, MAX_ACTION_CONFIGS).forEach((config, c) => {
			const cw = `${where}.action_configs[${c}]`;
			const a = requireObj(config, cw);
			const type = requireString(a, 'action_type', `${cw}.action_type`);
			// A custom action key needs its own name [doc].
			if (type !== 'APPROVE' && type !== 'REJECT') keys.require(a, 'action_name', `${cw}.action_name`);
			else keys.optional(a, 'action_name', `${cw}.action_name`);
			for (const flag of ['is_need_reason', 'is_reason_required', 'is_need_attachment']) optionalBool(a, flag, `${cw}.${flag}`);
		});
		optionalOneOf(t, 'display_method', DISPLAY_METHODS, `${where}.display_method`);
		optionalBool(t, 'exclude_statistics', `${where}.exclude_statistics`);
		optionalString(t, 'node_id', `${where}.node_id`);
		keys.optional(t, 'node_name', `${where}.node_name`);
		// Never "" [doc].
		optionalOneOf(t, 'generate_type', ['EXTERNAL_CONSIGN', 'DEFAULT'], `${where}.generate_type`);
	});
	optionalArray(b, 'cc_list', 'cc_list', MAX_CCS).forEach((cc, i) => {
		const where = `cc_list[${i}]`;
		const c = requireObj(cc, where);
		requireString(c, 'cc_id', `${where}.cc_id`);
		checkUser(c, where);
		checkLinks(c, `${where}.links`);
		requireOneOf(c.read_status, ['READ', 'UNREAD'], `${where}.read_status`);
		optionalString(c, 'extra', `${where}.extra`);
		keys.optional(c, 'title', `${where}.title`);
		requireMillis(c, 'create_time', `${where}.create_time`);
		requireMillis(c, 'update_time', `${where}.update_time`);
		optionalOneOf(c, 'display_method', DISPLAY_METHODS, `${where}.display_method`);
	});
	const texts = checkI18nResources(b, keys, true);
	// The form's texts together at most 2,048 characters [doc]; counted in the default locale.
	const formChars = form.reduce((sum, f) => sum + (texts.get(f.name)?.length ?? 0) + (texts.get(f.value)?.length ?? 0), 0);
	if (formChars > MAX_FORM_CHARS) throw new SyncError('form', `has ${formChars} characters, at most ${MAX_FORM_CHARS} are allowed`);
	// Ids shared between the instance, its tasks and ccs make items vanish from lists [doc], which
	// is not documented as an error: the sandbox accepts them, as Feishu does.
	return { instanceId, updateMode };
}

// ---------------------------------------------------------------- check

export interface CheckInstance {
	instance_id: string;
	update_time: string;
	tasks: Array<{ task_id: string; update_time: string }>;
}

/** POST external_instances/check [doc D-chk]. No maximum count is documented. */
export function validateCheck(body: unknown): CheckInstance[] {
	const b = requireObj(body, 'body');
	if (!Array.isArray(b.instances)) throw new SyncError('instances', 'is required');
	return b.instances.map((instance: unknown, i) => {
		const where = `instances[${i}]`;
		const inst = requireObj(instance, where);
		const instanceId = requireString(inst, 'instance_id', `${where}.instance_id`);
		const updateTime = requireMillis(inst, 'update_time', `${where}.update_time`);
		if (!Array.isArray(inst.tasks)) throw new SyncError(`${where}.tasks`, 'is required');
		const tasks = inst.tasks.map((task: unknown, t) => {
			const tw = `${where}.tasks[${t}]`;
			const tk = requireObj(task, tw);
			return { task_id: requireString(tk, 'task_id', `${tw}.task_id`), update_time: requireMillis(tk, 'update_time', `${tw}.update_time`) };
		});
		return { instance_id: instanceId, update_time: updateTime, tasks };
	});
}
