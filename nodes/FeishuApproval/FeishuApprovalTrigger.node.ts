import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { DEFAULT_DEADLINE_MINUTES, poll } from './trigger/poll';

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
			{
				displayName: 'Approval Codes',
				name: 'approvalCodes',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				required: true,
				placeholder: 'E78F1022-A166-447C-8320-E151DA90D70F',
				description:
					'Codes of the approval definitions (审批定义 Code) to watch, separated by commas, spaces or new lines, or a list from an expression. More than 20 are read in several requests.',
			},
			{
				displayName: 'Task Status',
				name: 'status',
				type: 'options',
				options: [
					{ name: 'Approved (同意)', value: 'APPROVED', description: 'Fire when an approver approves' },
					{ name: 'Done (已完成)', value: 'DONE', description: 'Fire when a task passes without its approver acting' },
					{ name: 'Pending (审批中)', value: 'PENDING', description: 'Fire when a task starts waiting for its approver' },
					{ name: 'Rejected (拒绝)', value: 'REJECTED', description: 'Fire when an approver rejects' },
					{ name: 'Transferred (转交)', value: 'TRANSFERRED', description: 'Fire when a task is handed to someone else' },
				],
				default: 'REJECTED',
				description: 'Fire when a task has this status; it fires again when the task is updated later and still has it',
			},
			{
				displayName: 'User IDs',
				name: 'userIds',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				placeholder: 'e.g. 112321, 5d9bdxxx (empty: every approver)',
				description:
					'Only tasks of these approvers (user_id), separated by commas, spaces or new lines, or a list from an expression. Leave empty for every approver.',
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				options: [
					{
						name: 'Instances',
						value: 'instances',
						description: 'One item per approval instance as Feishu returns it, carrying only the tasks that fired',
					},
					{
						name: 'Tasks',
						value: 'tasks',
						description: 'One flat row per task that fired, ready for a spreadsheet',
					},
				],
				default: 'tasks',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Poll Deadline (Minutes)',
						name: 'deadline',
						type: 'number',
						typeOptions: { minValue: 0.1, numberPrecision: 1 },
						default: DEFAULT_DEADLINE_MINUTES,
						description:
							'Longest one poll may take, retries and rate-limit waits included. A poll that runs out fails with an error, emits nothing and leaves the memory alone; the next poll catches up.',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await poll.call(this);
	}
}
