import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	externalTask: 'getAll';
};

export type FeishuApprovalType = AllEntities<NodeMap>;
