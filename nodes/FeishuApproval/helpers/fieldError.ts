/** A parameter or body field that is missing or breaks a rule, named as the user or the API names it. */
export class FieldError extends Error {
	constructor(
		readonly field: string,
		readonly problem: string,
	) {
		super(`${field} ${problem}`);
	}
}
