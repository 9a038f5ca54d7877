import type { JsonObject } from 'n8n-workflow';

import type { FeishuApp } from './credentials';
import { FeishuApiError } from './errors';
import type { CallOptions } from './request';
import { feishuRequest } from './request';

export const EXTERNAL_TASKS_PATH = '/open-apis/approval/v4/external_tasks';
export const MAX_PAGE_SIZE = 500;
/** At most 20 instance ids or approval codes per request [doc]. */
export const MAX_IDS_PER_REQUEST = 20;

/** The body of one query: one of the three documented combinations [doc]. */
export type ExternalTasksQuery =
	| { instance_ids: string[] }
	| { approval_codes: string[]; user_ids: string[]; status: string }
	| { approval_codes: string[]; status: string };

export interface ExternalTask {
	id: string;
	status: string;
	update_time: string;
}

export interface ExternalInstance {
	instance_id: string;
	approval_id: string;
	approval_code: string;
	status: string;
	update_time: string;
	tasks: ExternalTask[];
}

export interface ExternalTasksPage {
	data: ExternalInstance[];
	page_token?: string;
	has_more: boolean;
}

/** One page; the filters travel as a JSON body on the GET, again with every page token [doc]. */
export async function getExternalTasksPage(
	app: FeishuApp,
	query: ExternalTasksQuery,
	pageSize: number,
	pageToken: string | undefined,
	options: CallOptions = {},
): Promise<ExternalTasksPage> {
	const search = new URLSearchParams({ page_size: String(pageSize) });
	if (pageToken) search.set('page_token', pageToken);
	const body = await feishuRequest(
		app,
		{ method: 'GET', path: `${EXTERNAL_TASKS_PATH}?${search}`, json: query, action: 'Listing third-party approval tasks' },
		options,
	);
	const data = (body.data ?? {}) as JsonObject;
	return {
		data: Array.isArray(data.data) ? (data.data as unknown as ExternalInstance[]) : [],
		page_token: typeof data.page_token === 'string' && data.page_token ? data.page_token : undefined,
		has_more: data.has_more === true,
	};
}

export interface PagingOptions extends CallOptions {
	pageSize: number;
	/** Start from this token instead of the first page. */
	pageToken?: string;
	/** Stop once this many instances have been read (the last page is trimmed). */
	limit?: number;
}

/**
 * Every page of a query, in order, until `has_more` is false or `limit` is reached. A page that
 * fails throws: the caller never sees a shorter list as if it were whole. The last page may
 * still carry a page token (the official example does [doc]): it is not followed.
 */
export async function* externalTasksPages(
	app: FeishuApp,
	query: ExternalTasksQuery,
	paging: PagingOptions,
): AsyncGenerator<ExternalTasksPage> {
	const seen = new Set<string>();
	let token = paging.pageToken;
	let remaining = paging.limit ?? Infinity;
	for (;;) {
		const size = Math.min(paging.pageSize, remaining);
		const page = await getExternalTasksPage(app, query, size, token, paging);
		if (page.data.length > remaining) page.data = page.data.slice(0, remaining);
		remaining -= page.data.length;
		yield page;
		if (!page.has_more || remaining <= 0) return;
		if (!page.page_token || seen.has(page.page_token)) {
			throw new FeishuApiError({
				msg: page.page_token
					? 'Feishu returned the same page token twice while saying there are more pages'
					: 'Feishu said there are more pages but returned no page token',
				action: 'Listing third-party approval tasks',
				appId: app.appId,
			});
		}
		seen.add(page.page_token);
		token = page.page_token;
	}
}
