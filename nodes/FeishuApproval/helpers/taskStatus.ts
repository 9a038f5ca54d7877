import type { INodePropertyOptions } from 'n8n-workflow';

/**
 * The statuses of a task, in one order, for every place that lists them: Get Many's filter and the
 * trigger (the task list API filters by them) and the tasks of an instance upsert (`task_list[].status`).
 * Instances have their own set. [doc] https://open.feishu.cn/document/server-docs/approval-v4/external_task/list
 */
export const TASK_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'TRANSFERRED', 'DONE'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

const TASK_STATUS_NAMES: Record<TaskStatus, string> = {
	PENDING: 'Pending (审批中)',
	APPROVED: 'Approved (同意)',
	REJECTED: 'Rejected (拒绝)',
	TRANSFERRED: 'Transferred (转交)',
	DONE: 'Done (已完成)',
};

export function isTaskStatus(value: string): boolean {
	return (TASK_STATUSES as readonly string[]).includes(value);
}

/** The dropdown options of a task status; each place says in its own words what a status means to it. */
export function taskStatusOptions(descriptions: Record<TaskStatus, string>): INodePropertyOptions[] {
	return TASK_STATUSES.map((value) => ({ name: TASK_STATUS_NAMES[value], value, description: descriptions[value] }));
}
