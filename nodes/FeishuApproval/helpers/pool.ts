/**
 * Pooling of input items into batched requests: the keys (ids) of every item go into shared
 * batches of at most `size`, each batch knowing which items asked for one of its keys, so one
 * failed batch fails only those items. Get Many by instance ids and Check share it. Pure.
 */
export interface PoolRequest<K> {
	itemIndex: number;
	keys: K[];
}

export interface PoolBatch<K> {
	keys: K[];
	/** The item indexes that asked for at least one key of this batch. */
	items: number[];
}

/** Keys are de-duplicated by `id(key)`: two items asking for one key share its place. */
export function poolBatches<K>(requests: Array<PoolRequest<K>>, size: number, id: (key: K) => string = String): Array<PoolBatch<K>> {
	const keys: K[] = [];
	const askers = new Map<string, Set<number>>();
	for (const request of requests) {
		for (const key of request.keys) {
			const k = id(key);
			let who = askers.get(k);
			if (!who) {
				askers.set(k, (who = new Set()));
				keys.push(key);
			}
			who.add(request.itemIndex);
		}
	}
	const batches: Array<PoolBatch<K>> = [];
	for (let i = 0; i < keys.length; i += size) {
		const batch = keys.slice(i, i + size);
		const items = new Set<number>();
		for (const key of batch) for (const item of askers.get(id(key)) ?? []) items.add(item);
		batches.push({ keys: batch, items: [...items].sort((a, b) => a - b) });
	}
	return batches;
}
