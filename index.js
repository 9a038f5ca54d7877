// n8n loads the files listed in package.json's "n8n" section; this entry point only names them.
module.exports = {};
