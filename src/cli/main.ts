// Headless CLI entry; subcommands land with their features.
console.error('usage: switchboard <check|list> [--config FILE] [--json]');
process.exit(2);
