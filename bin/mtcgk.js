#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

// A closed pipe (`mtcgk ... | head`) ends the run quietly, as tshark does.
process.stdout.on('error', (e) => process.exit(e.code === 'EPIPE' ? 0 : 2));
process.exitCode = await main(process.argv.slice(2));
