import {expect} from 'chai'

import {type FlagInfo, readCompletionLine} from '../../../src/lib/completion/line.js'

const EXEC: FlagInfo[] = [
  {char: 'c', name: 'cluster', type: 'option'},
  {char: 's', name: 'service', type: 'option'},
  {name: 'no-input', type: 'boolean'},
  {name: 'profile', type: 'option'},
  {name: 'region', type: 'option'},
]
const PRUNE: FlagInfo[] = [{name: 'family', type: 'option'}, {name: 'yes', char: 'y', type: 'boolean'}]
const flagsOf = (id: string) => ({exec: EXEC, 'task-definitions:prune': PRUNE})[id]
const read = (line: string[]) => readCompletionLine(['taskonaut', ...line], flagsOf)

describe('completion line reading', () => {
  it('finds the flag whose value is under the cursor, long or short', () => {
    expect(read(['exec', '--cluster', ''])).to.deep.include({commandId: 'exec', flag: 'cluster'})
    expect(read(['exec', '-s', 'we'])).to.deep.include({flag: 'service'})
    expect(read(['exec', '--no-input', ''])).to.deep.include({flag: undefined})
  })

  it('reads flags already given (space or =), so --service completes for that cluster and profile', () => {
    const r = read(['exec', '--profile', 'acme', '--cluster=prod', '--region', 'us-east-2', '--service', ''])
    expect(r).to.deep.equal({commandId: 'exec', flag: 'service', given: {cluster: 'prod', profile: 'acme', region: 'us-east-2'}})
  })

  it('rejoins the pieces bash makes of --flag=value', () => {
    expect(read(['exec', '--cluster', '=', 'pr'])).to.deep.include({flag: 'cluster'})
    expect(read(['exec', '--cluster', '=', ''])).to.deep.include({flag: 'cluster'})
    expect(read(['exec', '-c', 'prod', '--service', '=', ''])).to.deep.include({flag: 'service', given: {cluster: 'prod'}})
  })

  it('a flag whose value was already typed is not being completed', () => {
    expect(read(['exec', '--cluster', 'prod', ''])).to.deep.include({flag: undefined})
  })

  it('finds topic commands (several words) and ignores unknown ones', () => {
    expect(read(['task-definitions', 'prune', '--family', ''])).to.deep.include({commandId: 'task-definitions:prune', flag: 'family'})
    expect(read(['nope', '--cluster', ''])).to.deep.equal({commandId: undefined, flag: undefined, given: {}})
  })
})
