/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// Type checking is done once by `tsc -p tsconfig.test.json` in `npm run lint`; transpiling
	// alone keeps jest fast.
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	setupFiles: ['<rootDir>/test/helpers/jestSetup.ts'],
	setupFilesAfterEnv: ['<rootDir>/test/helpers/jestAfterEnv.ts'],
	testTimeout: 30000,
};
