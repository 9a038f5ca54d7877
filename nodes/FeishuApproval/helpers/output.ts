import type { IDataObject, INodeExecutionData, IPairedItemData } from 'n8n-workflow';

import type { ExternalInstance, ExternalTasksPage } from '../transport';

/** One spreadsheet-ready row per task (the `tasks` output). */
export interface TaskRow extends IDataObject {
	instance_id: string;
	approval_id: string;
	approval_code: string;
	instance_status: string;
	instance_update_time: string;
	instance_update_time_iso: string;
	task_id: string;
	task_status: string;
	task_update_time: string;
	task_update_time_iso: string;
}

/** `update_time` is a string of epoch milliseconds [doc]; anything else gives an empty cell. */
export function isoTime(ms: string | undefined): string {
	if (ms === undefined || ms === '') return '';
	const date = new Date(Number(ms));
	return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

/** Flattens instances to task rows; an instance without tasks still gives one row, task fields empty. */
export function toTaskRows(instance: ExternalInstance): TaskRow[] {
	const base = {
		instance_id: instance.instance_id,
		approval_id: instance.approval_id,
		approval_code: instance.approval_code,
		instance_status: instance.status,
		instance_update_time: instance.update_time,
		instance_update_time_iso: isoTime(instance.update_time),
	};
	const tasks = instance.tasks?.length ? instance.tasks : [undefined];
	return tasks.map((task) => ({
		...base,
		task_id: task?.id ?? '',
		task_status: task?.status ?? '',
		task_update_time: task?.update_time ?? '',
		task_update_time_iso: isoTime(task?.update_time),
	}));
}

export function toPageItem(page: ExternalTasksPage): IDataObject {
	return { data: page.data as unknown as IDataObject[], page_token: page.page_token ?? '', has_more: page.has_more };
}

/** What Get Many and the trigger emit for a list of instances: one item each, or one row per task. */
export type Output = 'instances' | 'tasks';

/** Instances as items in the chosen output, in the API's order, paired with the asking item if any. */
export function shape(instances: ExternalInstance[], output: Output, pairedItem?: IPairedItemData): INodeExecutionData[] {
	const paired = pairedItem ? { pairedItem } : {};
	if (output === 'tasks') return instances.flatMap((instance) => toTaskRows(instance).map((json) => ({ json, ...paired })));
	return instances.map((instance) => ({ json: instance as unknown as IDataObject, ...paired }));
}
