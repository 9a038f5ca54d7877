// A request the sandbox refuses as `param is invalid` (1390001), naming the field [doc].
export class SyncError extends Error {
	constructor(
		readonly field: string,
		readonly description: string,
	) {
		super(`param is invalid: ${field} ${description}`);
	}
}
