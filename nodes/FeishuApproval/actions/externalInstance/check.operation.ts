import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { FieldError } from '../../helpers/fieldError';
import { poolBatches } from '../../helpers/pool';
import { isoSeconds, isToolForm } from '../../helpers/tool';
import { toEpochMs } from '../../helpers/time';
import type { CheckInstance, DiffInstance } from '../../transport';
import { checkExternalInstances, MAX_CHECK_INSTANCES } from '../../transport';
import { credentialApp, failer, parseJson } from '../perItem';

const properties: INodeProperties[] = [
	{
		displayName: 'Instance ID',
		name: 'instanceId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.instance_id }}',
		description: "Your system's ID of the approval instance",
	},
	{
		displayName: 'Update Time',
		name: 'updateTime',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.update_time }}',
		description: 'The update time your system last synced for the instance: epoch milliseconds, ISO-8601 text or a date',
	},
	{
		displayName: 'Tasks',
		name: 'tasks',
		type: 'json',
		default: '[]',
		placeholder: '={{ $json.tasks }}',
		description:
			'The tasks your system last synced, as a list of {"task_id": …, "update_time": …} (times in epoch milliseconds, ISO-8601 or dates); usually an expression',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['externalInstance'], operation: ['check'] } }, properties);

function read(this: IExecuteFunctions, i: number): CheckInstance {
	const instanceId = String(this.getNodeParameter('instanceId', i, '') ?? '').trim();
	if (!instanceId) throw new FieldError('Instance ID', 'is required');
	const updateTime = toEpochMs(this.getNodeParameter('updateTime', i, ''), 'Update Time');
	let raw = this.getNodeParameter('tasks', i, '[]') as unknown;
	if (typeof raw === 'string') {
		const parsed = parseJson(raw.trim() || '[]');
		if ('problem' in parsed) throw new FieldError('Tasks', parsed.problem);
		raw = parsed.value;
	}
	if (!Array.isArray(raw)) throw new FieldError('Tasks', 'must be a list of {"task_id", "update_time"}');
	const tasks = raw.map((entry: unknown, n) => {
		const task = (entry ?? {}) as IDataObject;
		// Get Many's task rows spell the id `id` (list API) or `task_id` (tasks output): take both.
		const taskId = String(task.task_id ?? task.id ?? '').trim();
		if (typeof entry !== 'object' || entry === null || !taskId) throw new FieldError(`Tasks[${n}].task_id`, 'is required');
		return { task_id: taskId, update_time: toEpochMs(task.update_time, `Tasks[${n}].update_time`) };
	});
	return { instance_id: instanceId, update_time: updateTime, tasks };
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const results: INodeExecutionData[][] = items.map(() => []);
	const fail = failer(this, results);
	const asked = new Map<number, CheckInstance>();
	for (let i = 0; i < items.length; i++) {
		try {
			asked.set(i, read.call(this, i));
		} catch (error) {
			fail(error, i);
		}
	}
	const app = await credentialApp(this, [...asked.keys()], fail);
	if (!app) return results.flat();

	// An answer names instances by id only, so one request must not carry two different versions
	// of one instance: each further version of an id goes into a later round.
	const rounds: Array<Array<{ itemIndex: number; keys: CheckInstance[] }>> = [];
	const versions = new Map<string, string[]>();
	for (const [itemIndex, instance] of asked) {
		const seen = versions.get(instance.instance_id) ?? [];
		versions.set(instance.instance_id, seen);
		const version = JSON.stringify(instance);
		let round = seen.indexOf(version);
		if (round < 0) round = seen.push(version) - 1;
		(rounds[round] ??= []).push({ itemIndex, keys: [instance] });
	}

	const diffs = new Map<number, DiffInstance | null>();
	for (const round of rounds) {
		for (const batch of poolBatches(round, MAX_CHECK_INSTANCES, (instance) => JSON.stringify(instance))) {
			try {
				const answer = await checkExternalInstances(app, batch.keys);
				const byId = new Map(answer.map((diff) => [diff.instance_id, diff]));
				for (const i of batch.items) diffs.set(i, byId.get(asked.get(i)!.instance_id) ?? null);
			} catch (error) {
				// Only the items of this request fail; the others still get their answers.
				for (const i of batch.items) fail(error, i);
			}
		}
	}

	const tool = isToolForm(this);
	for (const [i, diff] of diffs) {
		const instance = asked.get(i)!;
		if (tool) {
			// A model reads ISO times, not epoch milliseconds.
			const staleTasks = (diff?.tasks ?? []).map((task) => ({ task_id: task.task_id, feishu_update_time: isoSeconds(task.update_time) }));
			const json: IDataObject = { instance_id: instance.instance_id, up_to_date: diff === null, feishu_update_time: isoSeconds(diff?.update_time ?? instance.update_time) };
			if (staleTasks.length) json.stale_tasks = staleTasks;
			results[i] = [{ json, pairedItem: { item: i } }];
			continue;
		}
		results[i] = [
			{
				json: {
					instance_id: instance.instance_id,
					up_to_date: diff === null,
					// Feishu's stamp; absent from a difference that lies only in tasks, then it matches ours.
					feishu_update_time: diff?.update_time ?? instance.update_time,
					stale_tasks: (diff?.tasks ?? []) as unknown as IDataObject[],
				},
				pairedItem: { item: i },
			},
		];
	}
	return results.flat();
}
