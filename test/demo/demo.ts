// Placeholder until the demo issue lands: the full demo starts the sandbox and runs the examples.
console.log('Demo: not built yet. Run `npm run sandbox` to start the Feishu sandbox with demo data.');
