import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	actionCallback: 'respond';
	externalApproval: 'upsert' | 'get';
	externalInstance: 'upsert' | 'check';
	externalTask: 'getAll';
};

export type FeishuApprovalType = AllEntities<NodeMap>;
