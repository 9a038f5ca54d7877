import type { INodeTypeDescription } from 'n8n-workflow';

import * as externalTask from './externalTask';

export const versionDescription: INodeTypeDescription = {
	displayName: 'Feishu Approval',
	name: 'feishuApproval',
	icon: { light: 'file:feishu.svg', dark: 'file:feishu.dark.svg' },
	group: ['transform'],
	version: 1,
	subtitle: '={{ "Get Many Tasks by " + { instanceIds: "Instance IDs", approvers: "Approvers", status: "Status" }[$parameter["queryBy"]] }}',
	description: 'Read the status of Feishu / Lark third-party approval tasks (三方审批任务)',
	defaults: {
		name: 'Feishu Approval',
	},
	usableAsTool: true,
	inputs: ['main'],
	outputs: ['main'],
	credentials: [
		{
			name: 'feishuApi',
			required: true,
			testedBy: 'feishuApiTest',
		},
	],
	properties: [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Third-Party Approval Task',
					value: 'externalTask',
					description: 'Tasks of approvals that live in another system and are synced to Feishu (三方审批)',
				},
			],
			default: 'externalTask',
		},
		...externalTask.description,
	],
};
