import type { CallbackAnswer } from './actionCallback';
import { sendActionCallback } from './actionCallback';
import type { SandboxState } from './state';
import { DEFAULT_TENANT } from './state';

// An approver presses Approve or Reject on a third-party task in Feishu [doc D-cb]: Feishu posts
// the callback to the definition's action_callback_url, with the definition's token, encrypted
// under its key when it has one, naming the task, its approver and its action_context.

export interface PressOptions {
	instanceId: string;
	taskId: string;
	/** APPROVE or REJECT (a custom action_configs key arrives the same way [guess]). */
	actionType: string;
	reason?: string;
	/** Set when the press came from a bot card [doc: "for card operations"]. */
	messageId?: bigint | string;
	tenant?: string;
	/** Who pressed (default: the task's approver). */
	userId?: string;
}

export interface PressResult extends CallbackAnswer {
	url: string;
	encrypted: boolean;
}

type Obj = Record<string, unknown>;

export async function pressAction(state: SandboxState, options: PressOptions): Promise<PressResult> {
	const tenant = options.tenant ?? DEFAULT_TENANT;
	const instance = state.storedInstance(options.instanceId, tenant);
	if (!instance) throw new Error(`no instance ${options.instanceId} in tenant ${tenant}`);
	const task = (instance.task_list as Obj[]).find((t) => t.task_id === options.taskId);
	if (!task) throw new Error(`instance ${options.instanceId} has no task ${options.taskId}`);
	const approvalCode = String(instance.approval_code);
	const definition = state.getDefinition(approvalCode, tenant);
	if (!('found' in definition)) throw new Error(`no definition ${approvalCode} (${definition.missing}) in tenant ${tenant}`);
	const external = (definition.found.external ?? {}) as Obj;
	const url = external.action_callback_url;
	if (typeof url !== 'string' || !url) throw new Error(`definition ${approvalCode} has no action_callback_url`);
	const encryptKey = typeof external.action_callback_key === 'string' && external.action_callback_key ? external.action_callback_key : undefined;
	const answer = await sendActionCallback(
		url,
		{
			action_type: options.actionType,
			user_id: options.userId ?? String(task.user_id ?? ''),
			approval_code: approvalCode,
			instance_id: options.instanceId,
			task_id: options.taskId,
			...(task.action_context === undefined ? {} : { action_context: String(task.action_context) }),
			...(options.reason === undefined ? {} : { reason: options.reason }),
			...(options.messageId === undefined ? {} : { message_id: options.messageId }),
			token: String(external.action_callback_token ?? ''),
		},
		{ encryptKey },
	);
	return { ...answer, url, encrypted: encryptKey !== undefined };
}
