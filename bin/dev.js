#!/usr/bin/env -S node --import tsx --no-warnings
// Development: runs src/ through tsx with @oclif/core from node_modules, no build needed.
import {execute} from '@oclif/core'

import {defaultArgs} from './default-command.js'

await execute({args: defaultArgs(process.argv.slice(2)), development: true, dir: import.meta.url})
