import type { JsonObject } from 'n8n-workflow';

import type { FeishuApp } from './credentials';
import type { CallOptions } from './request';
import { feishuRequest } from './request';

export const EXTERNAL_INSTANCES_PATH = '/open-apis/approval/v4/external_instances';
export const EXTERNAL_INSTANCES_CHECK_PATH = '/open-apis/approval/v4/external_instances/check';
/** No maximum is documented for check [doc https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/approval-v4/external_instance/check]; 100 instances per request is our bound [guess], keeping bodies small. */
export const MAX_CHECK_INSTANCES = 100;

/** The answer of a sync: `data.data` echoes the instance [doc]; `process_record` counts what changed [sdk only]. */
export interface SyncAnswer {
	data?: JsonObject;
	process_record?: JsonObject;
}

/**
 * Creates or updates (syncs) one instance, keyed by `instance_id` [doc https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/approval-v4/external_instance/create]. UPDATE is safe to
 * retry: it carries its `update_time`, which Feishu ignores once it holds it (only a strictly newer
 * stamp applies [doc]), so after a retry the answer can report "not applied" for a change the lost
 * first attempt made. REPLACE is not: it has no stamp check [doc], so a retry that lands after a
 * newer sync written meanwhile overwrites it. REPLACE is therefore retried only after failures
 * that prove the first attempt was not applied (rate limit, refused token, no connection).
 */
export async function syncExternalInstance(app: FeishuApp, body: JsonObject, options: CallOptions = {}): Promise<SyncAnswer> {
	const answer = await feishuRequest(
		app,
		{
			method: 'POST',
			path: EXTERNAL_INSTANCES_PATH,
			json: body,
			action: `Syncing the third-party approval instance "${String(body.instance_id)}"`,
			// REPLACE is Feishu's default when update_mode is absent [doc].
			repeatable: body.update_mode === 'UPDATE',
		},
		options,
	);
	return (answer.data ?? {}) as SyncAnswer;
}

export interface CheckTask {
	task_id: string;
	update_time: string;
}

export interface CheckInstance {
	instance_id: string;
	update_time: string;
	tasks: CheckTask[];
}

export interface DiffInstance {
	instance_id: string;
	update_time?: string;
	tasks?: CheckTask[];
}

/**
 * Asks which of these instances Feishu holds differently [doc https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/approval-v4/external_instance/check]. A read, so retrying is
 * safe. Returns `diff_instances` (empty when every instance is current).
 */
export async function checkExternalInstances(app: FeishuApp, instances: CheckInstance[], options: CallOptions = {}): Promise<DiffInstance[]> {
	const answer = await feishuRequest(
		app,
		{ method: 'POST', path: EXTERNAL_INSTANCES_CHECK_PATH, json: { instances }, action: 'Checking third-party approval instances' },
		options,
	);
	const data = (answer.data ?? {}) as JsonObject;
	return Array.isArray(data.diff_instances) ? (data.diff_instances as unknown as DiffInstance[]) : [];
}
