// The only surface actions/ and trigger/ import: everything HTTP stays behind it.
export type { TimeLimits } from './client';
export { DEFAULT_TIME_LIMITS, closeAll } from './client';
export type { FeishuApp } from './credentials';
export { appFromCredential, CredentialError } from './credentials';
export { FeishuApiError, toNodeError, describe } from './errors';
export type { ExternalInstance, ExternalTask, ExternalTasksPage, ExternalTasksQuery, PagingOptions } from './externalTasks';
export { externalTasksPages, getExternalTasksPage, MAX_IDS_PER_REQUEST, MAX_PAGE_SIZE } from './externalTasks';
export type { CallOptions } from './request';
export { exchangeToken, testCredential } from './request';
