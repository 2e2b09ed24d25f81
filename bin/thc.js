#!/usr/bin/env node
// thc: the command line. Kept tiny for start-up time; everything lives in dist/src/cli/main.js.
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
