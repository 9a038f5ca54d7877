// The only surface actions/ and trigger/ import: everything HTTP stays behind it.
export { closeAll } from './client';
export type { FeishuApp } from './credentials';
export { appFromCredential, CredentialError, httpsProblem } from './credentials';
export { FeishuApiError, toNodeError } from './errors';
export { maskSecrets } from './maskSecrets';
export type { UserIdType } from './externalApprovals';
export { getExternalApproval, upsertExternalApproval } from './externalApprovals';
export type { CheckInstance, CheckTask, DiffInstance, SyncAnswer } from './externalInstances';
export { checkExternalInstances, MAX_CHECK_INSTANCES, syncExternalInstance } from './externalInstances';
export type { ExternalInstance, ExternalTask, ExternalTasksPage, ExternalTasksQuery, PagingOptions } from './externalTasks';
export { externalTasksPages, MAX_IDS_PER_REQUEST, MAX_PAGE_SIZE } from './externalTasks';
export { testCredential } from './request';
