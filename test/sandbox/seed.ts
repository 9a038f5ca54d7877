import type { ExternalInstanceSync } from './types';

// Seeds name only what the list endpoint shows (code, id, status, stamps, tasks); the sync
// endpoint requires more [doc D-inst]. This fills every other required field with a plain value,
// keeping whatever the seed gives, so seeds stay short and still pass the real validation.
export function completeSync(seed: ExternalInstanceSync): Record<string, unknown> {
	const s = seed as ExternalInstanceSync & Record<string, unknown>;
	const link = (id: string) => ({ pc_link: `https://example.com/approvals/${encodeURIComponent(id)}` });
	const firstUser = seed.task_list.find((t) => t.user_id)?.user_id ?? 'seed_initiator';
	return {
		links: link(seed.instance_id),
		start_time: seed.update_time,
		end_time: seed.status === 'PENDING' ? '0' : seed.update_time,
		...(s.user_id === undefined && s.open_id === undefined ? { user_id: firstUser } : {}),
		i18n_resources: [{ locale: 'zh-CN', is_default: true, texts: [] }],
		...s,
		task_list: seed.task_list.map((task) => {
			const t = task as typeof task & Record<string, unknown>;
			return {
				links: link(`${seed.instance_id}/${task.task_id}`),
				create_time: task.update_time,
				end_time: task.status === 'PENDING' ? '0' : task.update_time,
				...(t.user_id === undefined && t.open_id === undefined ? { user_id: firstUser } : {}),
				...t,
			};
		}),
	};
}
