import type { FieldViolation } from './answers';
import type { TaskStatus } from './types';

// Validation of GET external_tasks' query and JSON body, as the official page documents it.

export const TASK_STATUSES: readonly TaskStatus[] = ['PENDING', 'APPROVED', 'REJECTED', 'TRANSFERRED', 'DONE'];
export const DEFAULT_PAGE_SIZE = 50; // [doc]
export const MAX_PAGE_SIZE = 500; // [doc]
export const MAX_LIST_LEN = 20; // [doc] for approval_codes and instance_ids

// The three documented combinations of body fields [doc: request body examples 1-3].
export type TaskFilter =
	| { mode: 'instanceIds'; instanceIds: string[] }
	| { mode: 'approvers'; approvalCodes: string[]; userIds: string[]; status: TaskStatus }
	| { mode: 'status'; approvalCodes: string[]; status: TaskStatus };

export interface ListRequest {
	filter: TaskFilter;
	pageSize: number;
	pageToken?: string;
}

export type ListParse =
	| { ok: true; request: ListRequest }
	| { ok: false; error: 'param' }
	| { ok: false; error: 'field'; violations: FieldViolation[] };

const PARAM_INVALID = { ok: false, error: 'param' } as const;

export function parseListRequest(query: Record<string, string>, rawBody: string): ListParse {
	// The body travels on the GET; an empty one is an empty filter.
	let body: unknown = {};
	if (rawBody.trim() !== '') {
		try {
			body = JSON.parse(rawBody);
		} catch {
			return PARAM_INVALID;
		}
	}
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return PARAM_INVALID;
	const fields = body as Record<string, unknown>;

	const instanceIds = stringList(fields.instance_ids);
	const approvalCodes = stringList(fields.approval_codes);
	const userIds = stringList(fields.user_ids);
	const status = fields.status ?? undefined;
	if (instanceIds === null || approvalCodes === null || userIds === null) return PARAM_INVALID;
	if (status !== undefined && typeof status !== 'string') return PARAM_INVALID;

	// Field rules first, in the order of the page: page_size, status, list lengths.
	const violations: FieldViolation[] = [];
	const pageSize = parsePageSize(query.page_size, violations);
	if (status !== undefined && !(TASK_STATUSES as readonly string[]).includes(status)) {
		violations.push({ field: 'status', value: status, description: `the value must be one of ${TASK_STATUSES.join(', ')}` });
	}
	for (const [field, list] of [['instance_ids', instanceIds], ['approval_codes', approvalCodes]] as const) {
		if (list && list.length > MAX_LIST_LEN) {
			violations.push({ field, value: String(list.length), description: `the max len is ${MAX_LIST_LEN}` });
		}
	}
	if (violations.length > 0) return { ok: false, error: 'field', violations };

	const filter = documentedCombination(instanceIds, approvalCodes, userIds, status as TaskStatus | undefined);
	if (!filter) return PARAM_INVALID;
	const pageToken = query.page_token ? query.page_token : undefined;
	return { ok: true, request: { filter, pageSize, pageToken } };
}

// Anything but the three documented shapes is 1390001 [doc: the only documented error]; empty
// lists count as missing fields.
function documentedCombination(
	instanceIds: string[] | undefined,
	approvalCodes: string[] | undefined,
	userIds: string[] | undefined,
	status: TaskStatus | undefined,
): TaskFilter | undefined {
	const given = (list: string[] | undefined) => list !== undefined && list.length > 0;
	const absent = (list: string[] | undefined) => list === undefined;
	if (given(instanceIds) && absent(approvalCodes) && absent(userIds) && status === undefined) {
		return { mode: 'instanceIds', instanceIds: instanceIds! };
	}
	if (!absent(instanceIds) || !given(approvalCodes) || status === undefined) return undefined;
	if (given(userIds)) return { mode: 'approvers', approvalCodes: approvalCodes!, userIds: userIds!, status };
	if (absent(userIds)) return { mode: 'status', approvalCodes: approvalCodes!, status };
	return undefined;
}

// undefined when absent (or null), null when not a list of strings.
function stringList(value: unknown): string[] | undefined | null {
	if (value === undefined || value === null) return undefined;
	if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return null;
	return value;
}

function parsePageSize(raw: string | undefined, violations: FieldViolation[]): number {
	if (raw === undefined || raw === '') return DEFAULT_PAGE_SIZE;
	const n = /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
	if (!Number.isInteger(n)) {
		violations.push({ field: 'page_size', value: raw, description: 'the value must be an integer' });
	} else if (n > MAX_PAGE_SIZE) {
		violations.push({ field: 'page_size', value: raw, description: `the max value is ${MAX_PAGE_SIZE}` });
	} else if (n < 1) {
		violations.push({ field: 'page_size', value: raw, description: 'the min value is 1' });
	}
	return n;
}

// What a page token is bound to: the filter, order-insensitive, without page size or token.
export function filterKey(filter: TaskFilter): string {
	const sorted = (list: string[]) => [...new Set(list)].sort();
	switch (filter.mode) {
		case 'instanceIds':
			return JSON.stringify(['i', sorted(filter.instanceIds)]);
		case 'approvers':
			return JSON.stringify(['a', sorted(filter.approvalCodes), sorted(filter.userIds), filter.status]);
		case 'status':
			return JSON.stringify(['s', sorted(filter.approvalCodes), filter.status]);
	}
}
