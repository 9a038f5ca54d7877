// Imported first by the demo: n8n-core reads these when it loads.
import '../helpers/jestSetup'; // N8N_USER_FOLDER: a temp folder, not the user's ~/.n8n

// Without a key n8n-core generates one and says so; the demo stores no credentials, so any key will do.
process.env.N8N_ENCRYPTION_KEY ??= 'feishu-approval-demo-only';
