import {DeleteTaskDefinitionsCommand, DeregisterTaskDefinitionCommand, ECSClient, ListTaskDefinitionsCommand} from '@aws-sdk/client-ecs'
import {expect} from 'chai'
import sinon from 'sinon'

import type {PruneJson} from '../../src/commands/prune.js'
import {BACK, prompts} from '../../src/lib/ui/prompts.js'
import {terminal} from '../../src/lib/ui/terminal.js'
import {type Emulator, type Scenario, startEmulator} from '../emulator/index.js'
import {runCommand} from '../helpers/run.js'

/**
 * web has 30 revisions, 1-10 INACTIVE. In use: web:25 (service prod/web), web:15 (a task in
 * prod), web:5 (an INACTIVE revision a task in staging still runs) and web:20 (an EventBridge
 * rule target). jobs:8 is protected by a rule naming the family without a revision (and is
 * the latest anyway); api has a single revision.
 */
const SCENARIO: Scenario = {
  clusters: [
    {name: 'prod', services: [{desiredCount: 1, name: 'web', taskDefinition: 'web:25'}], tasks: [{taskDefinition: 'web:15'}]},
    {name: 'staging', tasks: [{taskDefinition: 'web:5'}]},
  ],
  families: [
    {family: 'web', inactive: '1-10', revisions: 30},
    {family: 'api', revisions: 1},
    {family: 'jobs', revisions: 8},
  ],
  rules: [
    {name: 'nightly', scheduleExpression: 'rate(1 day)', targets: [{cluster: 'prod', id: '1', taskDefinition: 'web:20'}]},
    {name: 'jobs', scheduleExpression: 'rate(1 hour)', targets: [{cluster: 'prod', id: '1', taskDefinition: 'jobs'}]},
  ],
}

describe('prune command', function () {
  let emulator: Emulator
  const saved = {...process.env}

  async function revisions(family: string, status: 'ACTIVE' | 'INACTIVE'): Promise<number[]> {
    const ecs = new ECSClient({endpoint: emulator.endpoint})
    const out = await ecs.send(new ListTaskDefinitionsCommand({familyPrefix: family, maxResults: 100, status}))
    return (out.taskDefinitionArns ?? []).map((arn) => Number(arn.split(':').at(-1))).sort((a, b) => a - b)
  }

  beforeEach(async () => {
    emulator = await startEmulator({scenario: SCENARIO, timeScale: 100})
    process.env.AWS_ENDPOINT_URL = emulator.endpoint
    sinon.stub(terminal, 'isInteractive').returns(false)
    sinon.stub(terminal, 'stderrIsTTY').returns(false)
  })

  afterEach(async () => {
    sinon.restore()
    await emulator.stop()
    for (const key of ['AWS_ENDPOINT_URL', 'TASKONAUT_TIME_SCALE']) {
      if (saved[key] === undefined) delete process.env[key]
      else process.env[key] = saved[key]
    }

    process.exitCode = undefined
  })

  describe('unattended', () => {
    it('prunes beyond --keep, sparing LATEST, KEEP and every kind of use, in two overlapping phases', async () => {
      const {error, stderr, stdout} = await runCommand(['prune', '--family', 'web', '--keep', '3', '--yes'])
      expect(error).to.equal(undefined)
      expect(await revisions('web', 'ACTIVE')).to.deep.equal([15, 20, 25, 28, 29, 30])
      expect(await revisions('web', 'INACTIVE')).to.deep.equal([5])
      expect(stdout).to.match(/30\s+LATEST\s+protected/)
      expect(stdout).to.match(/28-29\s+KEEP\s+kept/)
      expect(stdout).to.match(/25\s+IN-USE\s+protected\s+service prod\/web \(PRIMARY\); task prod\//)
      expect(stdout).to.match(/20\s+IN-USE\s+protected\s+rule default\/nightly/)
      expect(stdout).to.match(/5\s+IN-USE\s+protected\s+task staging\//)
      expect(stdout).to.contain('Deregistered 14, deleted 23, failed 0')
      // An unattended run prints its plan, not a "dry run" it is about to carry out.
      expect(stdout).to.match(/^Plan:$/m).and.not.contain('Dry run')
      expect(stderr).to.match(/deregister 14\/14/).and.match(/delete 23\/23/)
      expect(process.exitCode ?? 0).to.equal(0)
      const deletes = emulator.calls('DeleteTaskDefinitions')
      expect(deletes.every((c) => (c.params as {taskDefinitions: string[]}).taskDefinitions.length <= 10)).to.equal(true)
      expect(emulator.calls('DescribeTaskDefinition')).to.have.length(0) // no dates needed
    })

    it('--dry-run --json prints the plan as one document and changes nothing', async () => {
      const {stdout} = await runCommand(['prune', '--family', 'web', '--dry-run', '--json'])
      const doc = JSON.parse(stdout) as PruneJson
      expect(doc.dryRun).to.equal(true)
      expect(doc.result).to.equal(null)
      expect(doc.usage).to.include({clusters: 2, ruleTargets: 2, scope: 'every cluster'})
      const web = doc.families[0]
      expect(web.summary).to.include({kept: 4, protected: 5, toDelete: 21, toDeregister: 12})
      expect(web.revisions.find((r) => r.revision === 20)).to.include({badge: 'IN-USE', selected: false})
      expect(web.revisions.find((r) => r.revision === 3)).to.include({action: 'delete', selected: true})
      expect(emulator.calls('DeregisterTaskDefinition')).to.have.length(0)
      expect(emulator.calls('DeleteTaskDefinitions')).to.have.length(0)
    })

    it('--json with --yes reports results, --inactive-only deletes without deregistering', async () => {
      const {stdout} = await runCommand(['prune', '--family', 'web', '--inactive-only', '--yes', '--json'])
      const doc = JSON.parse(stdout) as PruneJson
      expect(doc.result).to.include({cancelled: false, deleted: 9, deregistered: 0})
      expect(doc.result?.failures).to.deep.equal([])
      expect(emulator.calls('DeregisterTaskDefinition')).to.have.length(0)
      expect(await revisions('web', 'INACTIVE')).to.deep.equal([5])
    })

    it('--deregister-only with --revisions and --cluster deregisters only in range, deletes nothing', async () => {
      const {error} = await runCommand(['prune', '--family', 'web', '--deregister-only', '--revisions', '11-16', '--cluster', 'prod', '--yes'])
      expect(error).to.equal(undefined)
      expect(emulator.calls('DeleteTaskDefinitions')).to.have.length(0)
      // 15 is in use in prod; staging is not checked, so nothing there protects anything.
      expect(await revisions('web', 'INACTIVE')).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16])
      const listTasks = emulator.calls('ListTasks').map((c) => (c.params as {cluster: string}).cluster)
      expect(listTasks.every((c) => c.endsWith('prod'))).to.equal(true)
    })

    it('--older-than reads dates only for the revisions that could be selected', async () => {
      const {stdout} = await runCommand(['prune', '--family', 'web', '--older-than', '25d', '--dry-run', '--json'])
      const doc = JSON.parse(stdout) as PruneJson
      // One registration a day, counted back from now.
      const revs = doc.families[0].revisions
      const cutoff = Date.now() - 25 * 86_400_000
      const selected = revs.filter((r) => r.selected).map((r) => r.revision)
      expect(selected).to.include(1).and.not.include(7)
      for (const r of revs.filter((x) => x.selected)) expect(Date.parse(r.registeredAt!)).to.be.below(cutoff)
      // LATEST, KEEP and IN-USE revisions are never described.
      expect(revs.find((r) => r.revision === 30)?.registeredAt).to.equal(undefined)
      expect(emulator.calls('DescribeTaskDefinition')).to.have.length(30 - 9)
    })

    it('--older-than reads no date the other filters rule out: --revisions, --inactive-only, --deregister-only', async () => {
      const described = () => emulator.calls('DescribeTaskDefinition').map((c) => Number((c.params as {taskDefinition: string}).taskDefinition.split(':').at(-1)))
      const ranged = await runCommand(['prune', '--family', 'web', '--older-than', '1d', '--revisions', '1-12', '--dry-run', '--json'])
      expect(ranged.error).to.equal(undefined)
      // 1-12 without 5 (in use); nothing outside the range.
      expect(described().sort((a, b) => a - b)).to.deep.equal([1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12])
      expect(ranged.stderr).to.contain('Reading registration dates of 11 revisions')
      emulator.clearLog()
      await runCommand(['prune', '--family', 'web', '--older-than', '1d', '--inactive-only', '--dry-run', '--json'])
      expect(described().sort((a, b) => a - b)).to.deep.equal([1, 2, 3, 4, 6, 7, 8, 9, 10]) // INACTIVE only
      emulator.clearLog()
      await runCommand(['prune', '--family', 'web', '--older-than', '1d', '--deregister-only', '--dry-run', '--json'])
      expect(described().sort((a, b) => a - b)).to.deep.equal([11, 12, 13, 14, 16, 17, 18, 19, 21, 22, 23, 24]) // ACTIVE, not kept or in use
    })

    it('--older-than refuses minutes and months as ambiguous (exit 2)', async () => {
      const {error} = await runCommand(['prune', '--family', 'web', '--older-than', '6m', '--dry-run'])
      expect(error?.message).to.contain('--older-than: "6m" is ambiguous (minutes or months?)')
      expect(error?.oclif?.exit).to.equal(2)
      expect(emulator.requests).to.have.length(0)
    })

    it('without a TTY and without --yes fails naming --yes before any AWS call', async () => {
      const {error} = await runCommand(['prune', '--family', 'web'])
      expect(error?.message).to.contain('needs confirmation')
      expect((error as any)?.suggestions?.join(' ')).to.contain('--yes')
      expect(error?.oclif?.exit).to.equal(2)
      expect(emulator.requests).to.have.length(0)
    })

    it('without a TTY and without --family fails naming --family', async () => {
      const {error} = await runCommand(['prune', '--dry-run'])
      expect(error?.message).to.contain('--family')
      expect(error?.oclif?.exit).to.equal(2)
    })

    it('an unknown family fails with close matches', async () => {
      const {error} = await runCommand(['prune', '--family', 'webb', '--dry-run'])
      expect(error?.message).to.contain('No task definition family "webb"')
      expect((error as any)?.suggestions?.join(' ')).to.contain('web')
      expect(error?.oclif?.exit).to.equal(2)
    })

    it('an unknown cluster fails with close matches', async () => {
      const {error} = await runCommand(['prune', '--family', 'web', '--cluster', 'prd', '--dry-run'])
      expect(error?.message).to.contain('Cluster "prd" not found')
      expect(error?.oclif?.exit).to.equal(2)
      expect((error as any)?.suggestions?.join(' ')).to.contain('prod')
    })

    for (const [args, flag] of [
      [['--keep', '0'], 'keep'],
      [['--keep', 'five'], 'keep'],
      [['--older-than', '3mo'], 'older-than'],
      [['--revisions', '400-1'], 'revisions'],
      [['--inactive-only', '--deregister-only'], 'deregister-only'],
    ] as const) {
      it(`${args.join(' ')} is a usage error naming --${flag}`, async () => {
        const {error} = await runCommand(['prune', '--family', 'web', '--dry-run', ...args])
        expect(error?.message).to.contain(`--${flag}`)
        expect(error?.oclif?.exit).to.equal(2)
        expect(emulator.requests).to.have.length(0)
      })
    }

    it('a family whose only revision is the latest has nothing to prune (exit 0)', async () => {
      const {error, stdout} = await runCommand(['prune', '--family', 'api', '--yes'])
      expect(error).to.equal(undefined)
      expect(stdout).to.contain('Nothing to prune')
      expect(process.exitCode ?? 0).to.equal(0)
    })

    it('a rule naming a family without a revision protects its latest; --all-families covers every family', async () => {
      const {stdout} = await runCommand(['prune', '--all-families', '--keep', '1', '--dry-run', '--json'])
      const doc = JSON.parse(stdout) as PruneJson
      expect(doc.families.map((f) => f.family).sort()).to.deep.equal(['api', 'jobs', 'web'])
      const jobs = doc.families.find((f) => f.family === 'jobs')!
      expect(jobs.revisions[0]).to.deep.include({badge: 'LATEST', revision: 8, usedBy: ['rule default/jobs (target 1)']})
      expect(jobs.summary.toDeregister).to.equal(7)
    })

    it('--skip-usage-check reads no cluster, but EventBridge rule targets still protect', async () => {
      const {stdout} = await runCommand(['prune', '--family', 'web', '--skip-usage-check', '--dry-run', '--json'])
      const doc = JSON.parse(stdout) as PruneJson
      expect(emulator.calls('ListClusters')).to.have.length(0)
      expect(emulator.calls('ListTasks')).to.have.length(0)
      expect(doc.usage).to.include({clusters: 0, ruleTargets: 2, scope: 'no cluster, EventBridge rule targets only'})
      const revs = doc.families[0].revisions
      expect(revs.find((r) => r.revision === 20)).to.deep.include({badge: 'IN-USE', selected: false, usedBy: ['rule default/nightly (target 1)']})
      // What only a cluster knows is no longer protected.
      expect(revs.find((r) => r.revision === 25)).to.include({badge: 'ACTIVE', selected: true})
    })

    it('an unreadable source is named once in the error, though each cluster is read in two passes', async () => {
      emulator.denyAccess('ListTasks')
      const {error} = await runCommand(['prune', '--family', 'web', '--yes'])
      const message = error?.message ?? ''
      expect(message).to.contain('access denied reading tasks of cluster')
      expect(message.match(/tasks of cluster prod/g)).to.have.length(1)
      expect(message.match(/tasks of cluster staging/g)).to.have.length(1)
      expect(error?.oclif?.exit).to.equal(1)
    })

    it('stops when a usage source is unreadable, unless the risk is accepted', async () => {
      emulator.denyAccess('ListRules')
      const denied = await runCommand(['prune', '--family', 'web', '--yes'])
      expect(denied.error?.message).to.contain('access denied reading EventBridge rule targets')
      expect((denied.error as any)?.suggestions?.join(' ')).to.contain('--accept-unreadable-usage')
      expect(emulator.calls('DeregisterTaskDefinition')).to.have.length(0)
      const accepted = await runCommand(['prune', '--family', 'web', '--accept-unreadable-usage', '--dry-run', '--json'])
      const doc = JSON.parse(accepted.stdout) as PruneJson
      expect(doc.usage.unreadable.map((u) => u.source)).to.deep.equal(['EventBridge rule targets'])
      // Without the rules, web:20 is no longer known to be in use.
      expect(doc.families[0].revisions.find((r) => r.revision === 20)).to.include({selected: true})
    })

    it('per-revision failures are listed with ARN, reason and detail; partial success exits 3', async () => {
      emulator.denyAccess('DeleteTaskDefinitions')
      const {stdout} = await runCommand(['prune', '--family', 'web', '--keep', '3', '--yes', '--json'])
      const doc = JSON.parse(stdout) as PruneJson
      expect(doc.result).to.include({deleted: 0, deregistered: 14})
      expect(doc.result?.failures).to.have.length(23)
      expect(doc.result?.failures[0]).to.include({phase: 'delete', reason: 'AccessDeniedException'})
      expect(doc.result?.failures[0].arn).to.match(/task-definition\/web:\d+$/)
      expect(doc.result?.failures[0].detail).to.be.a('string').with.length.above(0)
      expect(process.exitCode).to.equal(3)
    })

    it('with throttling on, the client-side buckets keep the calls under the limits and no error shows', async () => {
      await emulator.stop()
      emulator = await startEmulator({
        scenario: {families: [{family: 'big', inactive: '1-30', revisions: 70}]},
        throttling: true,
        timeScale: 50,
      })
      process.env.AWS_ENDPOINT_URL = emulator.endpoint
      process.env.TASKONAUT_TIME_SCALE = '50'
      const {error, stdout} = await runCommand(['prune', '--family', 'big', '--keep', '5', '--yes', '--skip-usage-check'])
      expect(error).to.equal(undefined)
      expect(stdout).to.contain('Deregistered 35, deleted 65, failed 0')
      // Paced by the client-side buckets, which count from ECS's first answer: never ahead of ECS.
      expect(emulator.requests.filter((r) => r.errorType === 'ThrottlingException')).to.have.length(0)
    })
  })

  describe('Ctrl-C during execution', () => {
    it('starts no new call, lets calls in flight finish, says what was not done (exit 130); a rerun finishes the job', async () => {
      await emulator.stop()
      emulator = await startEmulator({scenario: {families: [{family: 'big', revisions: 60}]}, throttling: true, timeScale: 20})
      process.env.AWS_ENDPOINT_URL = emulator.endpoint
      process.env.TASKONAUT_TIME_SCALE = '20'
      // Only the command's handler sees this SIGINT (mocha has its own).
      const others = process.listeners('SIGINT')
      for (const l of others) process.off('SIGINT', l)
      const poll = setInterval(() => {
        if (emulator.calls('DeregisterTaskDefinition').length >= 25) {
          clearInterval(poll)
          process.emit('SIGINT')
        }
      }, 2)
      let first
      try {
        first = await runCommand(['prune', '--family', 'big', '--keep', '1', '--yes', '--skip-usage-check'])
      } finally {
        clearInterval(poll)
        for (const l of others) process.on('SIGINT', l)
      }

      expect(process.exitCode).to.equal(130)
      expect(first.stderr).to.contain('Stopping: no new calls')
      expect(first.stdout).to.match(/Cancelled: \d+ not deregistered, \d+ not deleted\. Run the same command again to finish\./)
      const done = emulator.calls('DeregisterTaskDefinition').length
      expect(done).to.be.within(25, 40) // the calls in flight finished; nothing new started
      await new Promise((r) => setTimeout(r, 100))
      expect(emulator.calls('DeregisterTaskDefinition')).to.have.length(done)
      process.exitCode = undefined

      const second = await runCommand(['prune', '--family', 'big', '--keep', '1', '--yes', '--skip-usage-check'])
      expect(second.error).to.equal(undefined)
      expect(process.exitCode ?? 0).to.equal(0)
      expect(await revisions('big', 'ACTIVE')).to.deep.equal([60])
      expect(await revisions('big', 'INACTIVE')).to.deep.equal([])
    })
  })

  describe('interactive', () => {
    beforeEach(() => {
      ;(terminal.isInteractive as sinon.SinonStub).returns(true)
    })

    function script(answers: {selection?: string; decline?: boolean}) {
      const search = sinon.stub(prompts, 'search').callsFake(async (_m, choices) => {
        const web = choices.find((c) => c.value === 'web')
        expect(web?.name).to.contain('[25 eligible]') // 30 − LATEST − 4 KEEP, counted before the usage check
        expect(choices.find((c) => c.value === 'api')?.name).to.contain('(1 revision)')
        // The counts come from one account-wide listing per status, not two listings per family.
        const listings = emulator.calls('ListTaskDefinitions')
        expect(listings).to.have.length(2)
        expect(listings.every((c) => (c.params as {familyPrefix?: string}).familyPrefix === undefined)).to.equal(true)
        return 'web' as never
      })
      const select = sinon.stub(prompts, 'select')
      select.onCall(0).resolves('all' as never) // usage scope
      select.onCall(1).resolves((answers.selection ?? 'default') as never) // bulk option
      select.onCall(2).resolves('ok' as never)
      const input = sinon.stub(prompts, 'input').resolves('web')
      const confirm = sinon.stub(prompts, 'confirm').resolves(!answers.decline)
      return {confirm, input, search, select}
    }

    it('family → scope → analysis → selection → dry run → type the name → confirm → execution', async () => {
      const {input, search} = script({})
      const {error, stdout} = await runCommand(['prune', '--keep', '5'])
      expect(error).to.equal(undefined)
      expect(search.calledOnce).to.equal(true)
      expect(input.firstCall.args[0]).to.contain('Type "web"')
      expect(stdout).to.contain('Dry run:').and.contain('Deregistered 12, deleted 21')
      expect(await revisions('web', 'ACTIVE')).to.deep.equal([15, 20, 25, 26, 27, 28, 29, 30])
    })

    it('declining at the last question changes nothing (exit 130)', async () => {
      script({decline: true})
      const {stderr} = await runCommand(['prune', '--keep', '5'])
      expect(stderr).to.contain('Nothing was changed')
      expect(process.exitCode).to.equal(130)
      expect(emulator.calls('DeregisterTaskDefinition')).to.have.length(0)
    })

    it('the range bulk option and back navigation from the scope to the family', async () => {
      const search = sinon.stub(prompts, 'search').resolves('web' as never)
      const select = sinon.stub(prompts, 'select')
      select.onCall(0).resolves(BACK as never) // scope: back to the family
      select.onCall(1).resolves('all' as never)
      select.onCall(2).resolves('range' as never)
      select.onCall(3).resolves('ok' as never)
      sinon.stub(prompts, 'input').callsFake(async (message) => (message.startsWith('Revisions') ? '1-12' : 'web'))
      sinon.stub(prompts, 'confirm').resolves(true)
      const {error} = await runCommand(['prune', '--keep', '5'])
      expect(error).to.equal(undefined)
      expect(search.calledTwice).to.equal(true) // the family was asked again
      expect(select.firstCall.args[0]).to.contain('Where should services and tasks be checked')
      // 5 is in use; 1-10 were INACTIVE (deleted), 11-12 deregistered and deleted.
      expect(await revisions('web', 'INACTIVE')).to.deep.equal([5])
      expect(await revisions('web', 'ACTIVE')).to.include(13).and.not.include(12)
    })

    it('with --family given, the scope offers no "← Back" (there is no step before it); the selection goes back to the scope', async () => {
      const select = sinon.stub(prompts, 'select')
      select.onCall(0).resolves('all' as never)
      select.onCall(1).resolves(BACK as never) // selection: back to the scope
      select.onCall(2).resolves('all' as never)
      select.onCall(3).resolves('default' as never)
      select.onCall(4).resolves('ok' as never)
      sinon.stub(prompts, 'input').resolves('web')
      sinon.stub(prompts, 'confirm').resolves(false)
      const search = sinon.stub(prompts, 'search').rejects(new Error('the family is given'))
      await runCommand(['prune', '--family', 'web'])
      expect(search.called).to.equal(false)
      const values = (call: number) => (select.getCall(call).args[1] as {value: unknown}[]).map((c) => c.value)
      expect(values(0)).to.deep.equal(['all', 'clusters', 'none'])
      expect(values(1)).to.include(BACK)
      expect(select.getCall(2).args[0]).to.contain('Where should services and tasks be checked')
      expect(process.exitCode).to.equal(130) // declined at the end
    })

    it('with --family, --cluster and nothing else to go back to, the selection offers no "← Back" either', async () => {
      const select = sinon.stub(prompts, 'select')
      select.onCall(0).resolves('default' as never)
      select.onCall(1).resolves('ok' as never)
      sinon.stub(prompts, 'input').resolves('web')
      sinon.stub(prompts, 'confirm').resolves(false)
      await runCommand(['prune', '--family', 'web', '--cluster', 'prod'])
      expect((select.firstCall.args[1] as {value: unknown}[]).map((c) => c.value)).not.to.include(BACK)
    })

    it('--yes asks nothing in a terminal: no scope (every cluster), no selection, no confirmation', async () => {
      const asked: string[] = []
      for (const method of ['search', 'select', 'checkbox', 'input', 'confirm'] as const) {
        sinon.stub(prompts, method).callsFake(async (message: string) => {
          asked.push(message)
          throw new Error(`asked: ${message}`)
        })
      }

      const {error, stdout} = await runCommand(['prune', '--family', 'web', '--keep', '5', '--yes'])
      expect(asked).to.deep.equal([])
      expect(error).to.equal(undefined)
      expect(stdout).to.contain('Deregistered 12, deleted 21, failed 0')
      expect(emulator.calls('ListClusters').length).to.be.above(0) // usage checked in every cluster
      expect(await revisions('web', 'ACTIVE')).to.deep.equal([15, 20, 25, 26, 27, 28, 29, 30])
    })

    it('--dry-run with --family asks nothing in a terminal either', async () => {
      const select = sinon.stub(prompts, 'select').rejects(new Error('asked'))
      const {error, stdout} = await runCommand(['prune', '--family', 'web', '--dry-run'])
      expect(error).to.equal(undefined)
      expect(select.called).to.equal(false)
      expect(stdout).to.contain('Dry run: nothing was changed')
    })

    it('--yes without --family in a terminal fails naming --family instead of asking', async () => {
      const search = sinon.stub(prompts, 'search').rejects(new Error('asked'))
      const {error} = await runCommand(['prune', '--yes'])
      expect(search.called).to.equal(false)
      expect(error?.message).to.contain('Missing --family')
      expect(error?.oclif?.exit).to.equal(2)
      expect(emulator.requests).to.have.length(0)
    })

    it('--all-clusters answers the scope question', async () => {
      const select = sinon.stub(prompts, 'select')
      select.onCall(0).resolves('default' as never)
      select.onCall(1).resolves('ok' as never)
      sinon.stub(prompts, 'input').resolves('web')
      sinon.stub(prompts, 'confirm').resolves(false)
      await runCommand(['prune', '--family', 'web', '--all-clusters'])
      expect(select.firstCall.args[0]).to.contain('Which revisions of web')
      expect(emulator.calls('ListClusters').length).to.be.above(0)
    })

    it('with nothing a person could tick, says "Nothing to prune" and asks no selection', async () => {
      const select = sinon.stub(prompts, 'select').resolves('all' as never) // the scope
      const checkbox = sinon.stub(prompts, 'checkbox').rejects(new Error('asked'))
      const {error, stdout} = await runCommand(['prune', '--family', 'api'])
      expect(error).to.equal(undefined)
      expect(select.callCount).to.equal(1)
      expect(checkbox.called).to.equal(false)
      expect(stdout).to.contain('Nothing to prune')
      expect(process.exitCode ?? 0).to.equal(0)
    })

    it('the "no cluster" scope still protects EventBridge rule targets', async () => {
      const select = sinon.stub(prompts, 'select')
      select.onCall(0).resolves('none' as never)
      select.onCall(1).resolves('default' as never)
      select.onCall(2).resolves('ok' as never)
      sinon.stub(prompts, 'input').resolves('web')
      const confirm = sinon.stub(prompts, 'confirm').resolves(true)
      const {error, stdout} = await runCommand(['prune', '--family', 'web', '--keep', '5'])
      expect(error).to.equal(undefined)
      expect(confirm.firstCall.args[0]).to.contain('Without the cluster check')
      expect(stdout).to.match(/20\s+IN-USE\s+protected\s+rule default\/nightly/)
      expect(emulator.calls('ListServices')).to.have.length(0)
      expect(emulator.calls('ListTasks')).to.have.length(0)
      expect(await revisions('web', 'ACTIVE')).to.include(20).and.not.include(25) // 25 was only known to its service
    })

    it('a revision that disappears between the plan and the run is reported, and the rest go on (exit 3)', async () => {
      sinon.stub(prompts, 'search').resolves('web' as never)
      const select = sinon.stub(prompts, 'select')
      select.onCall(0).resolves('all' as never)
      select.onCall(1).resolves('default' as never)
      select.onCall(2).resolves('ok' as never)
      sinon.stub(prompts, 'input').resolves('web')
      sinon.stub(prompts, 'confirm').callsFake(async () => {
        // Someone else removes web:12 while the person reads the dry run.
        const ecs = new ECSClient({endpoint: emulator.endpoint})
        await ecs.send(new DeregisterTaskDefinitionCommand({taskDefinition: 'web:12'}))
        await ecs.send(new DeleteTaskDefinitionsCommand({taskDefinitions: ['web:12']}))
        return true
      })
      const {stdout} = await runCommand(['prune', '--keep', '5'])
      expect(stdout).to.match(/Deregistered 11, deleted 20, failed 1/)
      expect(stdout).to.match(/✖ arn:aws:ecs:eu-west-1:123456789012:task-definition\/web:12 \(deregister\): \w+/)
      expect(process.exitCode).to.equal(3)
    })

    it('the "older than" bulk option reads dates of selectable revisions only', async () => {
      sinon.stub(prompts, 'search').resolves('web' as never)
      const select = sinon.stub(prompts, 'select')
      select.onCall(0).resolves('all' as never)
      select.onCall(1).resolves('older' as never)
      select.onCall(2).resolves('ok' as never)
      sinon.stub(prompts, 'input').callsFake(async (message) => (message.startsWith('Older') ? '20d' : 'web'))
      sinon.stub(prompts, 'confirm').resolves(true)
      const {error} = await runCommand(['prune', '--keep', '5', '--deregister-only'])
      expect(error).to.equal(undefined)
      // Only what "older than" could select under --deregister-only: ACTIVE 11-24 without 15 and 20 (in use).
      // LATEST, IN-USE, KEEP and (here) INACTIVE revisions are never described.
      expect(emulator.calls('DescribeTaskDefinition')).to.have.length(12)
      const deregistered = emulator.calls('DeregisterTaskDefinition').map((c) => Number((c.params as {taskDefinition: string}).taskDefinition.split(':').at(-1)))
      expect(deregistered.length).to.be.above(0)
      expect(Math.max(...deregistered)).to.be.below(12) // only the older ones (one a day, counted back from now)
    })

    it('the checkbox lets a person pick a KEEP revision but offers LATEST and IN-USE disabled', async () => {
      sinon.stub(prompts, 'search').resolves('web' as never)
      const select = sinon.stub(prompts, 'select')
      select.onCall(0).resolves('all' as never)
      select.onCall(1).resolves('pick' as never)
      const checkbox = sinon.stub(prompts, 'checkbox').callsFake(async (_m, choices) => {
        const byRev = new Map(choices.map((c) => ['value' in c ? c.value : 0, c]))
        expect(byRev.get(30)).to.include({disabled: 'protected'})
        expect((byRev.get(25) as {disabled: string}).disabled).to.equal('in use: service prod/web (PRIMARY)')
        expect(byRev.get(29)).to.include({checked: false, disabled: false, guarded: true, key: '29'}) // KEEP: only one by one
        expect(byRev.get(24)).to.include({checked: true, disabled: false, guarded: false})
        return [29, 30, 25] as never // 30 and 25 cannot be picked: the plan drops them
      })
      sinon.stub(prompts, 'input').resolves('web')
      sinon.stub(prompts, 'confirm').resolves(true)
      const {error} = await runCommand(['prune', '--keep', '5'])
      expect(error).to.equal(undefined)
      expect(checkbox.calledOnce).to.equal(true)
      expect(emulator.calls('DeregisterTaskDefinition').map((c) => (c.params as {taskDefinition: string}).taskDefinition)).to.deep.equal([
        'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:29',
      ])
    })

    it('with --inactive-only, ACTIVE rows cannot be ticked in the checkbox', async () => {
      const select = sinon.stub(prompts, 'select')
      select.onCall(0).resolves('all' as never)
      select.onCall(1).resolves('pick' as never)
      sinon.stub(prompts, 'checkbox').callsFake(async (_m, choices) => {
        const byRev = new Map(choices.map((c) => ['value' in c ? c.value : 0, c]))
        expect(byRev.get(12)).to.include({disabled: 'left out: --inactive-only deregisters nothing'})
        expect(byRev.get(3)).to.include({checked: true, disabled: false})
        return [3] as never
      })
      sinon.stub(prompts, 'input').resolves('web')
      sinon.stub(prompts, 'confirm').resolves(true)
      const {error} = await runCommand(['prune', '--family', 'web', '--inactive-only'])
      expect(error).to.equal(undefined)
      expect(emulator.calls('DeregisterTaskDefinition')).to.have.length(0)
      expect(await revisions('web', 'INACTIVE')).to.deep.equal([1, 2, 4, 5, 6, 7, 8, 9, 10])
    })
  })
})
