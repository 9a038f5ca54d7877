import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { taskStatusOptions } from './helpers/taskStatus';
import { DEFAULT_DEADLINE_MINUTES, poll } from './trigger/poll/poll';
import { approvalCodesParameter, idListParameter, optionsCollection, outputParameter } from './helpers/parameters';

// The description lives here, not in trigger/, so n8n's lint rules for trigger descriptions see it.
export class FeishuApprovalTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Feishu Approval Trigger',
		name: 'feishuApprovalTrigger',
		icon: { light: 'file:feishu.svg', dark: 'file:feishu.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "When a task is " + $parameter["status"] }}',
		description: 'Starts the workflow when a Feishu / Lark third-party approval task (三方审批任务) reaches a status, e.g. rejected',
		defaults: {
			name: 'Feishu Approval Trigger',
		},
		// n8n's node loader prepends its standard Poll Times parameter to every description with
		// `polling: true` (n8n-core 2.8.1, DirectoryLoader.applySpecialNodeParameters) [seen]: no
		// `pollTimes` property of our own, or it would appear twice.
		polling: true,
		inputs: [],
		// n8n's current nodes write NodeConnectionTypes.Main (the community rules ask for it); the older
		// n8n-nodes-base rule predates the constant and only knows the literal.
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'feishuApi',
				required: true,
			},
		],
		properties: [
			approvalCodesParameter(' to watch', 'read'),
			{
				displayName: 'Task Status',
				name: 'status',
				type: 'options',
				options: taskStatusOptions({
					PENDING: 'Fire when a task starts waiting for its approver',
					APPROVED: 'Fire when an approver approves',
					REJECTED: 'Fire when an approver rejects',
					TRANSFERRED: 'Fire when a task is handed to someone else',
					DONE: 'Fire when a task passes without its approver acting',
				}),
				default: 'REJECTED',
				description: 'Fire when a task has this status; it fires again when the task is updated later and still has it',
			},
			idListParameter({
				displayName: 'User IDs',
				name: 'userIds',
				placeholder: 'e.g. 112321, 5d9bdxxx (empty: every approver)',
				what: 'Only tasks of these approvers (user_id)',
				then: '. Leave empty for every approver.',
			}),
			outputParameter('tasks', {
				instances: 'One item per approval instance as Feishu returns it, carrying only the tasks that fired',
				tasks: 'One flat row per task that fired, ready for a spreadsheet',
			}),
			optionsCollection([
				{
					displayName: 'Poll Deadline (Minutes)',
					name: 'deadline',
					type: 'number',
					typeOptions: { minValue: 0.1, numberPrecision: 1 },
					default: DEFAULT_DEADLINE_MINUTES,
					description:
						'Longest one poll may take, retries and rate-limit waits included. A poll that runs out fails with an error, emits nothing and leaves the memory alone; the next poll catches up.',
				},
			]),
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await poll.call(this);
	}
}
