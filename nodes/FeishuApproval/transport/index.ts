// The only surface actions/ and trigger/ import: everything HTTP stays behind it.
export { closeAll } from './client';
export type { FeishuApp } from './credentials';
export { appFromCredential, CredentialError } from './credentials';
export { FeishuApiError, toNodeError } from './errors';
export type { ExternalInstance, ExternalTask, ExternalTasksPage, ExternalTasksQuery, PagingOptions } from './externalTasks';
export { externalTasksPages, MAX_IDS_PER_REQUEST, MAX_PAGE_SIZE } from './externalTasks';
export { testCredential } from './request';
