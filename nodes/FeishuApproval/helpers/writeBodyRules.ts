/**
 * Every documented rule and limit of the two write bodies, checked before anything is sent
 * ([doc] unless marked: the pages cited below). A failure names the API field, e.g.
 * `task_list[3].status`. Pure.
 */
import { FieldError } from './fieldError';
import { I18N_PREFIX, LOCALES } from './i18n';
import { TASK_STATUSES } from './taskStatus';

export const INSTANCE_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'CANCELED', 'DELETED', 'HIDDEN', 'TERMINATED'] as const;
export const UPDATE_MODES = ['REPLACE', 'UPDATE'] as const;

export const MAX_APPROVAL_CODE_CHARS = 128;
export const MIN_APPROVAL_NAME_CHARS = 9;
export const MAX_VIEWERS = 200;
export const MAX_MANAGERS = 200;
/** The Feishu page says 300, the older Lark page 200 [doc, conflicting]: the newer Feishu page wins. */
export const MAX_TASKS = 300;
export const MAX_CCS = 200;
export const MAX_FORM_CHARS = 2048;
export const MAX_ACTION_CONFIGS = 2;

const DISPLAY_METHODS = ['BROWSER', 'SIDEBAR', 'NORMAL', 'TRUSTEESHIP'];
const VIEWER_TYPES = ['TENANT', 'DEPARTMENT', 'USER', 'NONE'];

type Obj = Record<string, unknown>;

const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

function obj(value: unknown, field: string): Obj {
	if (!isObj(value)) throw new FieldError(field, 'is required and must be an object');
	return value;
}

function text(o: Obj, key: string, field: string): string {
	const value = o[key];
	if (typeof value !== 'string' || value.trim() === '') throw new FieldError(field, 'is required');
	return value;
}

function optionalText(o: Obj, key: string, field: string): string | undefined {
	const value = o[key];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') throw new FieldError(field, `must be text, not ${typeof value}`);
	return value;
}

function oneOf(value: unknown, allowed: readonly string[], field: string): string {
	if (typeof value !== 'string' || !allowed.includes(value)) {
		throw new FieldError(field, `${JSON.stringify(value ?? null)} is not one of ${allowed.join(', ')}`);
	}
	return value;
}

function optionalOneOf(o: Obj, key: string, allowed: readonly string[], field: string): void {
	if (o[key] !== undefined) oneOf(o[key], allowed, field);
}

/** Epoch milliseconds as a string [doc]; "0" (or the number 0 of one official example) where unfinished is allowed. */
function millis(o: Obj, key: string, field: string, zeroAllowed = false): void {
	const value = o[key];
	if (zeroAllowed && (value === '0' || value === 0)) return;
	if (typeof value !== 'string' || !/^\d+$/.test(value)) {
		throw new FieldError(field, `must be epoch milliseconds as a string${zeroAllowed ? ' ("0" while unfinished)' : ''}, not ${JSON.stringify(value ?? null)}`);
	}
}

/** `extra` is a JSON object written as a string [doc] (e.g. {"business_key": "PR-1"}). */
function jsonText(o: Obj, key: string, field: string): void {
	const value = optionalText(o, key, field);
	if (!value) return;
	let parsed: unknown;
	try {
		parsed = JSON.parse(value);
	} catch {
		parsed = undefined;
	}
	if (!isObj(parsed)) throw new FieldError(field, 'must be a JSON object written as text, e.g. {"business_key": "PR-1"}');
}

function list(o: Obj, key: string, field: string, max?: number): unknown[] {
	const value = o[key];
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value)) throw new FieldError(field, 'must be a list');
	if (max !== undefined && value.length > max) throw new FieldError(field, `has ${value.length} entries; at most ${max} are allowed`);
	return value;
}

function links(o: Obj, field: string): void {
	const l = obj(o.links, field);
	const pc = optionalText(l, 'pc_link', `${field}.pc_link`);
	const mobile = optionalText(l, 'mobile_link', `${field}.mobile_link`);
	if (!pc && !mobile) throw new FieldError(field, 'needs a PC link or a mobile link (at least one)');
}

function user(o: Obj, field: string): void {
	if (!optionalText(o, 'user_id', `${field}.user_id`) && !optionalText(o, 'open_id', `${field}.open_id`)) {
		throw new FieldError(`${field}.user_id`, 'is required (or open_id)');
	}
}

/** i18n keys a body uses, checked against its i18n_resources at the end. */
class Keys {
	readonly used: Array<{ key: string; field: string }> = [];

	required(o: Obj, key: string, field: string): string {
		return this.add(text(o, key, field), field);
	}

	optional(o: Obj, key: string, field: string): string | undefined {
		const value = optionalText(o, key, field);
		return value ? this.add(value, field) : undefined;
	}

	private add(value: string, field: string): string {
		if (!value.startsWith(I18N_PREFIX)) throw new FieldError(field, `must be an i18n key starting with ${I18N_PREFIX} (its text goes in i18n_resources)`);
		this.used.push({ key: value, field });
		return value;
	}

	/** The default locale's texts; every key used must be there [doc]. */
	check(body: Obj, required: boolean): Map<string, string> {
		const resources = body.i18n_resources;
		if ((resources === undefined || resources === null) && !required && this.used.length === 0) return new Map();
		if (!Array.isArray(resources) || resources.length === 0) throw new FieldError('i18n_resources', 'is required (the texts of the @i18n@ keys)');
		let defaults: Map<string, string> | undefined;
		resources.forEach((resource, i) => {
			const r = obj(resource, `i18n_resources[${i}]`);
			oneOf(r.locale, LOCALES, `i18n_resources[${i}].locale`);
			const texts = new Map<string, string>();
			list(r, 'texts', `i18n_resources[${i}].texts`).forEach((entry, t) => {
				const e = obj(entry, `i18n_resources[${i}].texts[${t}]`);
				texts.set(text(e, 'key', `i18n_resources[${i}].texts[${t}].key`), String(e.value ?? ''));
			});
			if (r.is_default === true && !defaults) defaults = texts;
		});
		if (!defaults) throw new FieldError('i18n_resources', 'needs one locale with is_default true');
		for (const { key, field } of this.used) {
			if (!defaults.has(key)) throw new FieldError(field, `uses ${key}, which has no text in the default locale of i18n_resources`);
		}
		return defaults;
	}
}

/** POST external_instances: every documented rule [doc https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/approval-v4/external_instance/create]. */
export function checkInstanceBody(body: unknown): void {
	const b = obj(body, 'body');
	const keys = new Keys();
	text(b, 'approval_code', 'approval_code');
	const instanceId = text(b, 'instance_id', 'instance_id');
	const status = oneOf(b.status, INSTANCE_STATUSES, 'status');
	const mode = b.update_mode === undefined ? 'REPLACE' : oneOf(b.update_mode, UPDATE_MODES, 'update_mode');
	links(b, 'links');
	keys.optional(b, 'title', 'title');
	const form = list(b, 'form', 'form').map((entry, i) => {
		const f = obj(entry, `form[${i}]`);
		return { name: keys.required(f, 'name', `form[${i}].name`), value: keys.required(f, 'value', `form[${i}].value`) };
	});
	// The documented cleanup (REPLACE, APPROVED, no user) is the one sync without an initiator [doc].
	if (!(mode === 'REPLACE' && status === 'APPROVED')) user(b, 'initiator');
	keys.optional(b, 'user_name', 'user_name');
	keys.optional(b, 'department_name', 'department_name');
	millis(b, 'start_time', 'start_time');
	millis(b, 'end_time', 'end_time', true);
	millis(b, 'update_time', 'update_time');
	optionalOneOf(b, 'display_method', DISPLAY_METHODS, 'display_method');
	jsonText(b, 'extra', 'extra');

	// Ids of the instance, its tasks and its ccs must all differ, or entries vanish from lists [doc].
	const ids = new Map<string, string>([[instanceId, 'instance_id']]);
	const unique = (id: string, field: string) => {
		const first = ids.get(id);
		if (first) throw new FieldError(field, `"${id}" is already used by ${first}: the instance, its tasks and its cc entries need distinct ids`);
		ids.set(id, field);
	};
	list(b, 'task_list', 'task_list', MAX_TASKS).forEach((entry, i) => {
		const at = `task_list[${i}]`;
		const t = obj(entry, at);
		unique(text(t, 'task_id', `${at}.task_id`), `${at}.task_id`);
		user(t, at);
		keys.optional(t, 'title', `${at}.title`);
		links(t, `${at}.links`);
		oneOf(t.status, TASK_STATUSES, `${at}.status`);
		millis(t, 'create_time', `${at}.create_time`);
		millis(t, 'end_time', `${at}.end_time`, true);
		if (t.update_time !== undefined) millis(t, 'update_time', `${at}.update_time`);
		jsonText(t, 'extra', `${at}.extra`);
		list(t, 'action_configs', `${at}.action_configs`, MAX_ACTION_CONFIGS).forEach((config, c) => {
			const a = obj(config, `${at}.action_configs[${c}]`);
			const type = text(a, 'action_type', `${at}.action_configs[${c}].action_type`);
			// A custom action needs a name; APPROVE and REJECT have Feishu's [doc].
			if (type === 'APPROVE' || type === 'REJECT') keys.optional(a, 'action_name', `${at}.action_configs[${c}].action_name`);
			else keys.required(a, 'action_name', `${at}.action_configs[${c}].action_name`);
		});
		optionalOneOf(t, 'display_method', DISPLAY_METHODS, `${at}.display_method`);
		keys.optional(t, 'node_name', `${at}.node_name`);
		// Never send "" [doc].
		optionalOneOf(t, 'generate_type', ['EXTERNAL_CONSIGN', 'DEFAULT'], `${at}.generate_type`);
	});
	list(b, 'cc_list', 'cc_list', MAX_CCS).forEach((entry, i) => {
		const at = `cc_list[${i}]`;
		const c = obj(entry, at);
		unique(text(c, 'cc_id', `${at}.cc_id`), `${at}.cc_id`);
		user(c, at);
		links(c, `${at}.links`);
		oneOf(c.read_status, ['READ', 'UNREAD'], `${at}.read_status`);
		jsonText(c, 'extra', `${at}.extra`);
		keys.optional(c, 'title', `${at}.title`);
		millis(c, 'create_time', `${at}.create_time`);
		millis(c, 'update_time', `${at}.update_time`);
	});
	const texts = keys.check(b, true);
	const chars = form.reduce((sum, f) => sum + (texts.get(f.name)?.length ?? 0) + (texts.get(f.value)?.length ?? 0), 0);
	if (chars > MAX_FORM_CHARS) throw new FieldError('form', `has ${chars} characters in its names and values; at most ${MAX_FORM_CHARS} are allowed`);
}

/** POST external_approvals: every documented rule [doc https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/approval-v4/external_approval/create]. */
export function checkDefinitionBody(body: unknown): void {
	const b = obj(body, 'body');
	const keys = new Keys();
	const name = keys.required(b, 'approval_name', 'approval_name');
	if (name.length < MIN_APPROVAL_NAME_CHARS) throw new FieldError('approval_name', `"${name}" must be at least ${MIN_APPROVAL_NAME_CHARS} characters long`);
	const code = text(b, 'approval_code', 'approval_code');
	if (code.length > MAX_APPROVAL_CODE_CHARS) throw new FieldError('approval_code', `has ${code.length} characters; at most ${MAX_APPROVAL_CODE_CHARS} are allowed`);
	optionalText(b, 'group_code', 'group_code');
	keys.optional(b, 'group_name', 'group_name');
	keys.optional(b, 'description', 'description');
	const external = obj(b.external, 'external');
	keys.optional(external, 'biz_name', 'external.biz_name');
	if (external.support_pc !== true && external.support_mobile !== true) {
		throw new FieldError('external.support_pc', 'and external.support_mobile cannot both be false: the approval would show nowhere');
	}
	const callback = optionalText(external, 'action_callback_url', 'external.action_callback_url');
	if (callback && !/^https?:\/\//i.test(callback)) throw new FieldError('external.action_callback_url', 'must start with http:// or https://');
	list(b, 'viewers', 'viewers', MAX_VIEWERS).forEach((entry, i) => {
		const v = obj(entry, `viewers[${i}]`);
		const type = oneOf(v.viewer_type, VIEWER_TYPES, `viewers[${i}].viewer_type`);
		if (type === 'USER') text(v, 'viewer_user_id', `viewers[${i}].viewer_user_id`);
		if (type === 'DEPARTMENT') text(v, 'viewer_department_id', `viewers[${i}].viewer_department_id`);
	});
	list(b, 'managers', 'managers', MAX_MANAGERS).forEach((manager, i) => {
		if (typeof manager !== 'string' || !manager) throw new FieldError(`managers[${i}]`, 'must be a user id');
	});
	keys.check(b, false);
}

/** The first broken rule of a body, or undefined: for callers that word the error themselves. */
export function problemOf(check: (body: unknown) => void, body: unknown): FieldError | undefined {
	try {
		check(body);
		return undefined;
	} catch (error) {
		if (error instanceof FieldError) return error;
		// Anything else is a bug in a check, not bad input: seen as is, not worded as a field's problem.
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
		throw error;
	}
}
