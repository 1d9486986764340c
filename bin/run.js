#!/usr/bin/env node
// @oclif/core as bundled by scripts/bundle.js: one file, loaded through the V8 code cache (README: Start-up).
import {execute} from '../dist/oclif-core.js'

import {defaultArgs} from './default-command.js'

await execute({args: defaultArgs(process.argv.slice(2)), dir: import.meta.url})
