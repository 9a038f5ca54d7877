// The endpoints the sandbox serves, spelled as in the official docs.
export const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';
export const APPROVALS_PATH = '/open-apis/approval/v4/external_approvals';
export const INSTANCES_PATH = '/open-apis/approval/v4/external_instances';
export const CHECK_PATH = '/open-apis/approval/v4/external_instances/check';
export const TASKS_PATH = '/open-apis/approval/v4/external_tasks';

// The gateway's troubleshooter link names the API by a numeric method id; these are made up, one
// per endpoint, only so the link has the real shape.
export const METHOD_IDS: Record<string, string> = {
	[TOKEN_PATH]: '6907569742384087041',
	[APPROVALS_PATH]: '6990540727337500674',
	[INSTANCES_PATH]: '6990540727337598978',
	[CHECK_PATH]: '6990540727337631746',
	[TASKS_PATH]: '7009052745556688897',
};
