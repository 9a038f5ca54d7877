/**
 * One poll at a time per trigger node in this process.
 *
 * n8n starts a poll at every tick of the schedule, also while the previous poll of the same node
 * still runs, and every poll of an activation shares one in-memory static data object [seen:
 * n8n 2.8.4, ScheduledTaskManager; 1.123 the same]. Two polls in flight would each compare their
 * answer with whatever memory exists when it arrives and then replace it: an older answer that
 * arrives last puts older memory back, and the next poll fires the same tasks again [seen in
 * the real app, with a schedule shorter than Feishu's answers]. So a tick that
 * finds a poll of its node running skips: it reads nothing, emits nothing and leaves the memory
 * alone. The running poll reads every page, so it or the next tick after it fires what happened
 * meanwhile: a skipped tick loses nothing.
 *
 * Per process is enough: pollers run only in n8n's main process (the leader, in multi-main) [doc:
 * https://docs.n8n.io/hosting/scaling/queue-mode/].
 */
const running = new Set<string>();

/** Runs `poll` unless a poll with this key is running; then resolves to `skipped` at once. */
export async function pollExclusively<T, S>(key: string, skipped: S, poll: () => Promise<T>): Promise<T | S> {
	if (running.has(key)) return skipped;
	running.add(key);
	try {
		return await poll();
	} finally {
		running.delete(key);
	}
}
