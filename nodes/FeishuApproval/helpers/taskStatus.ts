/** Task statuses the list API filters by [doc]; instances have their own set. */
export const TASK_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'TRANSFERRED', 'DONE'] as const;

export function isTaskStatus(value: string): boolean {
	return (TASK_STATUSES as readonly string[]).includes(value);
}
