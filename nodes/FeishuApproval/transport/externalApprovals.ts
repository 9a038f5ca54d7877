import type { JsonObject } from 'n8n-workflow';

import type { FeishuApp } from './credentials';
import type { CallOptions } from './request';
import { feishuRequest } from './request';

export const EXTERNAL_APPROVALS_PATH = '/open-apis/approval/v4/external_approvals';

/** Which kind of user id `viewers[].viewer_user_id` and `managers` hold [doc https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/approval-v4/external_approval/create]; Feishu's default is open_id. */
export type UserIdType = 'user_id' | 'open_id' | 'union_id';

/**
 * Creates or updates a definition, keyed by its `approval_code` [doc https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/approval-v4/external_approval/create]: a retry of the same
 * body finds the code and updates it to the same content, so retrying is safe.
 * Returns the answer's `data` (`approval_code`).
 */
export async function upsertExternalApproval(
	app: FeishuApp,
	body: JsonObject,
	userIdType: UserIdType,
	options: CallOptions = {},
): Promise<JsonObject> {
	const search = new URLSearchParams({ user_id_type: userIdType });
	const external = (body.external ?? {}) as JsonObject;
	// The callback token and key travel in this body: a server that echoes it must not put them in an error.
	const secrets = [external.action_callback_token, external.action_callback_key].filter((v): v is string => typeof v === 'string' && v !== '');
	const answer = await feishuRequest(
		app,
		{ method: 'POST', path: `${EXTERNAL_APPROVALS_PATH}?${search}`, json: body, action: 'Creating or updating a third-party approval definition', secrets },
		options,
	);
	return (answer.data ?? {}) as JsonObject;
}

/** Reads a definition [doc https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/approval-v4/external_approval/get]; a read, so retrying is safe. Returns the answer's `data`. */
export async function getExternalApproval(
	app: FeishuApp,
	approvalCode: string,
	userIdType: UserIdType,
	options: CallOptions = {},
): Promise<JsonObject> {
	const search = new URLSearchParams({ user_id_type: userIdType });
	const answer = await feishuRequest(
		app,
		{
			method: 'GET',
			path: `${EXTERNAL_APPROVALS_PATH}/${encodeURIComponent(approvalCode)}?${search}`,
			action: `Reading the third-party approval definition "${approvalCode}"`,
		},
		options,
	);
	return (answer.data ?? {}) as JsonObject;
}
