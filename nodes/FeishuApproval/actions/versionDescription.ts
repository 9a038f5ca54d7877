import type { IDisplayOptions, INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';

import { TOOL_ONLY, toolDescriptionProperties } from '../helpers/tool';
import * as actionCallback from './actionCallback';
import * as externalApproval from './externalApproval';
import * as externalInstance from './externalInstance';
import * as externalTask from './externalTask';

const resourceOptions: INodePropertyOptions[] = [
	{
		name: 'Action Callback',
		value: 'actionCallback',
		description: 'Answer the quick-approval callback that started the workflow (Feishu Approval Action Trigger)',
	},
	{
		name: 'Third-Party Approval Definition',
		value: 'externalApproval',
		description: 'Definitions of approvals that live in another system (三方审批定义)',
	},
	{
		name: 'Third-Party Approval Instance',
		value: 'externalInstance',
		description: 'Approval instances synced from another system, with their tasks (三方审批实例)',
	},
	{
		name: 'Third-Party Approval Task',
		value: 'externalTask',
		description: 'Tasks of approvals that live in another system and are synced to Feishu (三方审批)',
	},
];

function resourceProperty(displayOptions: IDisplayOptions, options: INodePropertyOptions[]): INodeProperties {
	return {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options,
		default: 'externalTask',
		displayOptions,
	};
}

export const versionDescription: INodeTypeDescription = {
	displayName: 'Feishu Approval',
	name: 'feishuApproval',
	icon: { light: 'file:feishu.svg', dark: 'file:feishu.dark.svg' },
	group: ['transform'],
	version: 1,
	subtitle:
		'={{ $parameter["resource"] === "actionCallback" ? ($parameter["decision"] === "refuse" ? "Refuse the Approver\'s Action" : "Accept the Approver\'s Action") : $parameter["resource"] === "externalApproval" ? { upsert: "Create or Update Definition", get: "Get Definition" }[$parameter["operation"]] : $parameter["resource"] === "externalInstance" ? { upsert: "Create or Update Instance", check: "Check Instances" }[$parameter["operation"]] : "Get Many Tasks by " + { instanceIds: "Instance IDs", approvers: "Approvers", status: "Status" }[$parameter["queryBy"]] }}',
	description: 'Create and sync Feishu / Lark third-party approvals (三方审批) and read their task statuses',
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
			// Respond to Feishu calls no Feishu API: a workflow whose only Feishu Approval node
			// answers a callback must not need an app credential to be published.
			displayOptions: { hide: { resource: ['actionCallback'] } },
		},
		{
			// The definition's action_callback_token / action_callback_key come from the credential
			// the Action Trigger checks callbacks with, so neither sits in the workflow's JSON.
			// Optional: a definition without quick approval needs none, and n8n's publish check
			// (validateNodeCredentials) skips credentials that are not required.
			name: 'feishuApprovalCallbackApi',
			required: false,
			displayOptions: { show: { resource: ['externalApproval'], operation: ['upsert'] } },
		},
	],
	properties: [
		// Two Resource fields: the tool form (an AI Agent's or MCP client's tool) offers no Action
		// Callback, which answers a webhook and is no tool.
		resourceProperty({ hide: TOOL_ONLY }, resourceOptions),
		resourceProperty({ show: TOOL_ONLY }, resourceOptions.filter((option) => option.value !== 'actionCallback')),
		...toolDescriptionProperties(),
		...actionCallback.description,
		...externalApproval.description,
		...externalInstance.description,
		...externalTask.description,
	],
};
