import {expect} from 'chai'
import sinon from 'sinon'

import {BACK, type Choice, prompts} from '../../src/lib/ui/prompts.js'
import {terminal} from '../../src/lib/ui/terminal.js'
import {captureOutput} from '@oclif/test'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import Rollback from '../../src/commands/rollback/index.js'
import RollbackHistory from '../../src/commands/rollback/history.js'
import {type Emulator, startEmulator} from '../emulator/index.js'
import {ROLLBACK_SCENARIO} from '../fixtures/rollback-scenario.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/**
 * Runs the command classes from src/ directly (like runCommand, output captured), so the test
 * exercises these sources and its stubs reach them whatever state a build left dist/ in.
 */
function runCommand(argv: string[]) {
  const [first, second, ...rest] = argv
  if (first === 'rollback' && second === 'history') return captureOutput(() => RollbackHistory.run(rest, root))
  return captureOutput(() => Rollback.run(second === undefined ? [] : [second, ...rest], root))
}

interface Doc {
  result: string
  from: {revision: number}
  to: {revision: number; basis?: string}
  preview?: {containers: {name: string; changes: {field: string}[]}[]; identical: boolean}
  deployment?: {arn?: string; id?: string; marked: boolean}
  watch?: {state: string; reason?: string; rolledBack?: boolean}
  error?: {message: string; exit: number}
}

describe('rollback command', function () {
  let emulator: Emulator
  const saved = {...process.env}
  const updates = () => emulator.calls('UpdateService')

  beforeEach(async () => {
    // Simulated time runs 200× faster: a 30 s rollout takes 150 ms.
    emulator = await startEmulator({scenario: ROLLBACK_SCENARIO, timeScale: 200})
    process.env.AWS_ENDPOINT_URL = emulator.endpoint
    process.env.TASKONAUT_POLL_INTERVAL_MS = '20'
    sinon.stub(terminal, 'isInteractive').returns(false)
  })

  afterEach(async () => {
    sinon.restore()
    await emulator.stop()
    for (const key of ['AWS_ENDPOINT_URL', 'TASKONAUT_POLL_INTERVAL_MS']) {
      if (saved[key] === undefined) delete process.env[key]
      else process.env[key] = saved[key]
    }

    process.exitCode = undefined
  })

  describe('unattended', () => {
    it('rolls back with --to-revision --yes --wait and watches it to COMPLETED', async () => {
      const {error, stderr, stdout} = await runCommand(['rollback', '--cluster', 'prod', '--service', 'web', '--to-revision', '10', '--yes', '--wait'])
      expect(error).to.equal(undefined)
      expect(stdout).to.contain('Roll back web (cluster prod): web:12 → web:10')
      expect(stdout).to.match(/env RELEASE\s+12\s+10/)
      expect(stdout).to.match(/image tag\s+1\.12\.0\s+1\.10\.0/)
      expect(stderr).to.contain('Rolled back: web runs web:10')
      expect(updates()).to.have.length(1)
      expect(updates()[0].params).to.deep.include({cluster: 'prod', service: 'web', taskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:10'})
      // Watched through DescribeServices and the deployment record, not a fixed sleep.
      expect(emulator.calls('DescribeServiceDeployments').length).to.be.greaterThan(0)
      const service = emulator.account.clusters.get('prod')!.services.get('web')!
      expect(service.deployments[0].taskDefinition.revision).to.equal(10)
    })

    it('returns the preview and the outcome as one JSON document with --json', async () => {
      const {stdout} = await runCommand(['rollback', '-c', 'prod', '-s', 'web', '--to', 'web:11', '--yes', '--wait', '--json'])
      const doc = JSON.parse(stdout) as Doc
      expect(doc.result).to.equal('succeeded')
      expect(doc.from.revision).to.equal(12)
      expect(doc.to.revision).to.equal(11)
      expect(doc.preview!.containers[0].changes.map((c) => c.field)).to.include('image.tag')
      expect(doc.deployment!.arn).to.match(/service-deployment\/prod\/web\//)
      expect(doc.deployment!.marked).to.equal(true)
      const tags = emulator.calls('TagResource')
      expect(tags).to.have.length(1)
      expect(JSON.stringify(tags[0].params)).to.contain(doc.deployment!.arn!.split('/').at(-1))
      expect(doc.watch!.state).to.equal('succeeded')
    })

    it('fails with ECS reason when the circuit breaker rolls the deployment back', async () => {
      const {stdout} = await runCommand(['rollback', '-c', 'prod', '-s', 'shop', '--to-revision', '3', '--yes', '--wait', '--json'])
      const doc = JSON.parse(stdout) as Doc
      expect(doc.result).to.equal('failed')
      expect(doc.watch).to.include({rolledBack: true, state: 'failed'})
      expect(doc.watch!.reason).to.match(/circuit breaker/i)
      expect(doc.error!.exit).to.equal(1)
      expect(process.exitCode).to.equal(1)
    })

    it('says so in words without --json when the circuit breaker trips', async () => {
      const {error} = await runCommand(['rollback', '-c', 'prod', '-s', 'shop', '--to-revision', '3', '--yes', '--wait'])
      expect(error?.message).to.match(/^Rollback to shop:3 failed: .*circuit breaker/i)
      expect(error?.oclif?.exit).to.equal(1)
    })

    it('refuses a CODE_DEPLOY service and says what to do instead', async () => {
      const {error} = await runCommand(['rollback', '-c', 'prod', '-s', 'payments', '--to-revision', '3', '--yes'])
      expect(error?.message).to.match(/CodeDeploy/)
      expect(error?.oclif?.exit).to.equal(1)
      expect(updates()).to.have.length(0)
    })

    it('refuses an EXTERNAL service (task sets) and says what to do instead', async () => {
      const {error} = await runCommand(['rollback', '-c', 'staging', '-s', 'payments-canary', '--to-revision', '3', '--yes'])
      expect(error?.message).to.match(/EXTERNAL deployment controller/)
      expect((error as {suggestions?: string[]})?.suggestions?.join(' ')).to.match(/create-task-set/)
      expect(error?.oclif?.exit).to.equal(1)
      expect(updates()).to.have.length(0)
    })

    it('names close matches for an unknown service and an unknown cluster, exiting 2 (a bad flag value)', async () => {
      const service = await runCommand(['rollback', '-c', 'prod', '-s', 'wep', '--to-revision', '10', '--yes'])
      expect(service.error?.message).to.equal('Service "wep" not found in cluster prod.')
      expect(service.stderr + String((service.error as {suggestions?: string[]})?.suggestions)).to.contain('Did you mean web')
      expect(service.error?.oclif?.exit).to.equal(2)
      const cluster = await runCommand(['rollback', '-c', 'prodd', '-s', 'web', '--to-revision', '10', '--yes'])
      expect(cluster.error?.message).to.equal('Cluster "prodd" not found.')
      expect(String((cluster.error as {suggestions?: string[]})?.suggestions)).to.contain('prod')
      expect(cluster.error?.oclif?.exit).to.equal(2)
      expect(updates()).to.have.length(0)
    })

    it('finds a transposed service name (wbe → web), and lists the few services when nothing is close', async () => {
      const typo = await runCommand(['rollback', '-c', 'prod', '-s', 'wbe', '--to-revision', '10', '--dry-run'])
      expect((typo.error as {suggestions?: string[]})?.suggestions).to.deep.equal(['Did you mean web?'])
      expect(typo.error?.oclif?.exit).to.equal(2)
      const far = await runCommand(['rollback', '-c', 'prod', '-s', 'zzzzzz', '--to-revision', '10', '--dry-run'])
      expect((far.error as {suggestions?: string[]})?.suggestions).to.deep.equal(['Services: legacy, payments, shop, web.'])
    })

    it('refuses a --to ARN from another account or region instead of deploying this account\'s revision', async () => {
      for (const arn of ['arn:aws:ecs:eu-west-1:999999999999:task-definition/web:10', 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:10']) {
        const {error} = await runCommand(['rollback', '-c', 'prod', '-s', 'web', '--to', arn, '--yes'])
        expect(error?.message, arn).to.match(/^--to names a task definition in account \d+, region [a-z0-9-]+, but the service runs in account 123456789012, region eu-west-1\.$/)
        expect(String((error as {suggestions?: string[]}).suggestions)).to.contain('--to web:10')
        expect(error?.oclif?.exit).to.equal(2)
      }

      expect(updates()).to.have.length(0)
      const same = await runCommand(['rollback', '-c', 'prod', '-s', 'web', '--to', 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:10', '--dry-run'])
      expect(same.error).to.equal(undefined)
    })

    it('--to 0 is a usage error before any AWS call, like --to-revision 0', async () => {
      for (const target of [['--to', '0'], ['--to-revision', '0']]) {
        const {error} = await runCommand(['rollback', '-c', 'prod', '-s', 'web', ...target, '--yes'])
        expect(error?.oclif?.exit, target.join(' ')).to.equal(2)
      }

      expect(emulator.requests).to.have.length(0)
    })

    it('fails, before any AWS call, when --timeout is given to a run that will not watch', async () => {
      const {error} = await runCommand(['rollback', '-c', 'prod', '-s', 'web', '--to-revision', '10', '--yes', '--timeout', '15m'])
      expect(error?.message).to.equal('--timeout applies only while watching the deployment, and this run does not watch it.')
      expect(String((error as {suggestions?: string[]}).suggestions)).to.contain('--wait')
      expect(error?.oclif?.exit).to.equal(2)
      const dry = await runCommand(['rollback', '-c', 'prod', '-s', 'web', '--to-revision', '10', '--dry-run', '--timeout', '15m'])
      expect(dry.error?.oclif?.exit).to.equal(2)
      expect(emulator.requests).to.have.length(0)
      const zero = await runCommand(['rollback', '-c', 'prod', '-s', 'web', '--to-revision', '10', '--yes', '--wait', '--timeout', '0'])
      expect(zero.error?.message).to.equal('--timeout must be longer than 0 (got "0").')
    })

    it('reports a timeout with the state it was in, and exits 1', async () => {
      const {error} = await runCommand(['rollback', '-c', 'prod', '-s', 'legacy', '--to-revision', '2', '--yes', '--wait', '--timeout', '0.3s'])
      expect(error?.message).to.match(/^Gave up watching after 0\.\ds: 0\/1 running, .*· IN_PROGRESS, 2 deployments\. The deployment goes on in ECS\.$/)
      expect(String((error as {suggestions?: string[]}).suggestions)).to.contain('aws ecs describe-service-deployments --service-deployment-arns arn:aws:ecs:')
      expect(error?.oclif?.exit).to.equal(1)
    })

    it('refuses to change a service without --yes when there is no terminal', async () => {
      const {error} = await runCommand(['rollback', '-c', 'prod', '-s', 'web', '--to-revision', '10'])
      expect(error?.message).to.match(/needs confirmation/)
      expect(String((error as {suggestions?: string[]}).suggestions)).to.contain('--yes')
      expect(error?.oclif?.exit).to.equal(2)
      expect(updates()).to.have.length(0)
    })

    it('refuses a --timeout that is not a duration, before any AWS call', async () => {
      const {error} = await runCommand(['rollback', '-c', 'prod', '-s', 'web', '--to-revision', '10', '--yes', '--wait', '--timeout', 'soon'])
      expect(error?.message).to.equal('--timeout "soon" is not a duration.')
      expect(error?.oclif?.exit).to.equal(2)
      expect(emulator.requests).to.have.length(0)
    })

    it('names the missing flag without a terminal', async () => {
      const {error} = await runCommand(['rollback', '-c', 'prod', '-s', 'web', '--yes'])
      expect(error?.message).to.match(/^Missing --to-revision/)
      expect(error?.oclif?.exit).to.equal(2)
    })

    it('--dry-run prints the preview and changes nothing', async () => {
      const {error, stdout, stderr} = await runCommand(['rollback', '-c', 'prod', '-s', 'web', '--to-revision', '10', '--dry-run'])
      expect(error).to.equal(undefined)
      expect(stdout).to.contain('CHANGE')
      expect(stderr).to.contain('Dry run: nothing was changed.')
      expect(updates()).to.have.length(0)
      expect(emulator.requests.map((r) => r.operation)).not.to.include.members(['UpdateService', 'TagResource'])
    })

    it('takes the cluster from a service ARN in the long format', async () => {
      const {error, stdout} = await runCommand(['rollback', '-s', 'arn:aws:ecs:eu-west-1:123456789012:service/prod/web', '--to-revision', '10', '--dry-run'])
      expect(error).to.equal(undefined)
      expect(stdout).to.contain('Roll back web (cluster prod): web:12 → web:10')
    })

    it('--previous after a circuit-breaker rollback: what ran before the current revision, never the broken one', async () => {
      // The audit's sequence, on shop (4 → 5 on record): 5 → 4 lands, then 4 → 3 (broken) is
      // rolled back by the circuit breaker. 4 came from 5: --previous must say 5, both while
      // ECS is still rolling back and once it is done, and not 3 (broken, and the next older).
      await emulator.stop()
      emulator = await startEmulator({scenario: ROLLBACK_SCENARIO, timeScale: 1})
      process.env.AWS_ENDPOINT_URL = emulator.endpoint
      const previous = async () => {
        const {stdout} = await runCommand(['rollback', '-c', 'prod', '-s', 'shop', '--previous', '--dry-run', '--json'])
        return JSON.parse(stdout) as Doc
      }

      await runCommand(['rollback', '-c', 'prod', '-s', 'shop', '--to-revision', '4', '--yes'])
      emulator.advance(31_000)
      await runCommand(['rollback', '-c', 'prod', '-s', 'shop', '--to-revision', '3', '--yes'])
      emulator.advance(31_000) // the breaker has tripped: ECS is rolling back to 4
      const service = emulator.account.clusters.get('prod')!.services.get('shop')!
      expect(service.deployments.map((d) => [d.taskDefinition.revision, d.status, d.rolloutState])).to.deep.equal([
        [4, 'PRIMARY', 'IN_PROGRESS'],
        [3, 'ACTIVE', 'FAILED'],
      ])
      const during = await previous()
      expect(during.from.revision).to.equal(4)
      expect(during.to).to.include({basis: 'deployment-record', revision: 5})

      emulator.advance(31_000) // the rollback is done
      expect(service.deployments).to.have.length(1)
      const after = await previous()
      expect(after.to).to.include({basis: 'deployment-record', revision: 5})
      expect(updates()).to.have.length(2)
    })

    it('--previous takes the revision the service ran before, from the deployment record', async () => {
      const {stdout} = await runCommand(['rollback', '-c', 'prod', '-s', 'web', '--previous', '--dry-run', '--json'])
      const doc = JSON.parse(stdout) as Doc
      expect(doc.to).to.include({basis: 'deployment-record', revision: 11})
    })

    it('exits 0 with nothing changed when the service already runs the revision', async () => {
      const {error, stderr} = await runCommand(['rollback', '-c', 'prod', '-s', 'web', '--to-revision', '12', '--yes'])
      expect(error).to.equal(undefined)
      expect(stderr).to.contain('web is already on revision 12: nothing to do.')
      expect(updates()).to.have.length(0)
    })

    it('lists the nearest revisions when the one asked for does not exist', async () => {
      const {error} = await runCommand(['rollback', '-c', 'prod', '-s', 'web', '--to-revision', '40', '--yes'])
      expect(error?.message).to.equal('Revision web:40 does not exist.')
      // 12 is the revision running now: never offered as a target.
      expect(String((error as {suggestions?: string[]}).suggestions)).to.equal('Nearest ACTIVE revisions: 11, 10, 9, 8, 7.')
      expect(error?.oclif?.exit).to.equal(2)
    })

    it('refuses an INACTIVE revision', async () => {
      const {error} = await runCommand(['rollback', '-c', 'prod', '-s', 'web', '--to-revision', '3', '--yes'])
      expect(error?.message).to.match(/^Revision web:3 is INACTIVE/)
      expect(String((error as {suggestions?: string[]}).suggestions)).to.contain('5, 6, 7')
      expect(updates()).to.have.length(0)
    })

    it('refuses --to naming another family, and a malformed --to', async () => {
      const other = await runCommand(['rollback', '-c', 'prod', '-s', 'web', '--to', 'shop:4', '--yes'])
      expect(other.error?.message).to.match(/stays within its family/)
      expect(other.error?.oclif?.exit).to.equal(2)
      const bad = await runCommand(['rollback', '-c', 'prod', '-s', 'web', '--to', 'web:latest', '--yes'])
      expect(bad.error?.oclif?.exit).to.equal(2)
      expect(updates()).to.have.length(0)
    })

    it('starts without watching when --wait is not given', async () => {
      const {error, stderr} = await runCommand(['rollback', '-c', 'prod', '-s', 'web', '--to-revision', '10', '--yes'])
      expect(error).to.equal(undefined)
      expect(stderr).to.contain('Not watching (pass --wait to)')
      expect(emulator.calls('DescribeServiceDeployments')).to.have.length(0)
    })

    it('Ctrl-C stops watching, not the deployment, and prints how to keep watching', async () => {
      const run = runCommand(['rollback', '-c', 'prod', '-s', 'legacy', '--to-revision', '2', '--yes', '--wait', '--timeout', '15s'])
      // Wait for the first progress poll, then press Ctrl-C.
      for (let i = 0; i < 200 && emulator.calls('DescribeServiceDeployments').length === 0; i++) await new Promise((r) => setTimeout(r, 10))
      process.emit('SIGINT')
      const {error} = await run
      expect(error?.message).to.equal('Stopped watching (Ctrl-C). The deployment goes on in ECS.')
      expect(error?.oclif?.exit).to.equal(130)
      expect(String((error as {suggestions?: string[]}).suggestions)).to.contain('aws ecs describe-service-deployments')
      expect(process.listenerCount('SIGINT')).to.equal(0)
      const service = emulator.account.clusters.get('prod')!.services.get('legacy')!
      expect(service.deployments[0].taskDefinition.revision).to.equal(2)
    })
  })

  describe('interactive', () => {
    it('in a terminal with every value flagged and --yes, starts without watching unless --wait', async () => {
      ;(terminal.isInteractive as sinon.SinonStub).returns(true)
      const {error, stderr} = await runCommand(['rollback', '-c', 'prod', '-s', 'web', '--to-revision', '10', '--yes'])
      expect(error).to.equal(undefined)
      expect(stderr).to.contain('Not watching (pass --wait to)')
      expect(updates()).to.have.length(1)
    })

    const pick = <T>(name: string) => (_message: string, choices: Choice<T>[]) => {
      const choice = choices.find((c) => c.name === name || c.name.startsWith(`${name} `) || c.name.startsWith(`${name}  `))
      if (!choice) throw new Error(`no choice ${name} in ${choices.map((c) => c.name).join(', ')}`)
      return Promise.resolve(choice.value)
    }

    beforeEach(() => {
      ;(terminal.isInteractive as sinon.SinonStub).returns(true)
    })

    it('goes cluster → service → revision (with Back) → preview → confirm, then watches', async () => {
      const search = sinon.stub(prompts, 'search')
      search.onCall(0).callsFake(pick('prod'))
      search.onCall(1).callsFake(pick('web'))
      search.onCall(2).callsFake(async () => BACK)
      search.onCall(3).callsFake(pick('web'))
      search.onCall(4).callsFake(pick('web:10'))
      const select = sinon.stub(prompts, 'select').resolves('yes')
      const {error, stderr} = await runCommand(['rollback'])
      expect(error).to.equal(undefined)
      expect(select.firstCall.args[0]).to.equal('Proceed with rollback? (12 → 10)')
      expect(stderr).to.contain('Rolled back: web runs web:10')
      // The revision list: every ACTIVE revision but the current, newest first, the last good one marked.
      const revisions = (search.getCall(4).args[1] as Choice<unknown>[]).map((c) => c.name)
      expect(revisions.at(-1)).to.equal('← Back')
      expect(revisions.slice(0, -1).map((n) => n.split(' ')[0])).to.deep.equal(['web:11', 'web:10', 'web:9', 'web:8', 'web:7', 'web:6', 'web:5'])
      expect(revisions[0]).to.contain('last successful deployment before current')
      // CODE_DEPLOY services are listed but cannot be picked.
      const payments = (search.getCall(1).args[1] as Choice<unknown>[]).find((c) => c.name.startsWith('payments '))
      expect(payments?.disabled).to.match(/CODE_DEPLOY/)
      expect(updates()).to.have.length(1)
    })

    it('"← Back" from the confirmation shows the revision list again without reading it again', async () => {
      const search = sinon.stub(prompts, 'search')
      search.onCall(0).callsFake(pick('web:10'))
      search.onCall(1).callsFake(pick('web:9'))
      const select = sinon.stub(prompts, 'select')
      select.onCall(0).resolves(BACK)
      select.onCall(1).resolves('no')
      const {stderr} = await runCommand(['rollback', '-c', 'prod', '-s', 'web'])
      expect(stderr).to.contain('Cancelled. Nothing was changed.')
      expect(select.secondCall.args[0]).to.equal('Proceed with rollback? (12 → 9)')
      expect(search.callCount).to.equal(2)
      // One read of the list, the records and each date for the whole run.
      expect(emulator.calls('ListTaskDefinitions')).to.have.length(1)
      expect(emulator.calls('ListServiceDeployments')).to.have.length(1)
      const described = emulator.calls('DescribeTaskDefinition').map((r) => String((r.params as {taskDefinition?: string}).taskDefinition))
      expect(described.filter((td) => td.endsWith('web:11'))).to.have.length(1)
      expect(described.filter((td) => /web:12$/.test(td))).to.have.length(1)
    })

    it('shows the first screen of revisions dated, and dates the rest while the list is shown (throttling on)', async () => {
      await emulator.stop()
      const big: typeof ROLLBACK_SCENARIO = {
        clusters: [{name: 'prod', services: [{desiredCount: 1, name: 'big', taskDefinition: 'big:150'}]}],
        families: [{everyHours: 6, family: 'big', revisions: 150}],
      }
      emulator = await startEmulator({scenario: big, throttling: true, timeScale: 20})
      process.env.AWS_ENDPOINT_URL = emulator.endpoint
      process.env.TASKONAUT_TIME_SCALE = '20' // the loader's bucket refills as fast as the emulator's
      let first: Choice<unknown>[] = []
      let last: Choice<unknown>[] = []
      const dated = (rows: Choice<unknown>[]) => rows.filter((c) => /^big:\d+ {2}(\d+ \w+ ago|just now)/.test(c.name)).length
      sinon.stub(prompts, 'search').callsFake(async (_message, choices, opts) => {
        first = choices
        last = choices
        await new Promise<void>((resolve) => {
          opts!.live!.subscribe((next) => {
            last = next
            if (dated(next) === 149) resolve()
          })
        })
        return 12
      })
      sinon.stub(prompts, 'select').resolves('no')
      try {
        await runCommand(['rollback', '-c', 'prod', '-s', 'big'])
      } finally {
        delete process.env.TASKONAUT_TIME_SCALE
      }

      expect(first.slice(0, 15).every((c) => /ago$/.test(c.name))).to.equal(true)
      expect(dated(first)).to.be.lessThan(149)
      expect(dated(last)).to.equal(149)
      expect(last.find((c) => c.value === 12)?.name).to.equal('big:12  1 month ago')
      expect(last.find((c) => c.value === 12)?.description).to.match(/^registered \d{4}-\d\d-\d\d \d\d:\d\d UTC$/)
      // Paced under ECS's task definition read limit: every date read once, none refused.
      const describes = emulator.calls('DescribeTaskDefinition')
      expect(new Set(describes.map((r) => (r.params as {taskDefinition?: string}).taskDefinition)).size).to.equal(describes.length)
      expect(emulator.requests.filter((r) => r.errorType === 'ThrottlingException')).to.deep.equal([])
    })

    it('changes nothing when the confirmation is declined', async () => {
      const search = sinon.stub(prompts, 'search')
      search.onCall(0).callsFake(pick('web:9'))
      sinon.stub(prompts, 'select').resolves('no')
      const {stderr} = await runCommand(['rollback', '-c', 'prod', '-s', 'web'])
      expect(stderr).to.contain('Cancelled. Nothing was changed.')
      expect(process.exitCode).to.equal(130)
      expect(updates()).to.have.length(0)
    })
  })
})

describe('rollback history command', function () {
  let emulator: Emulator
  const saved = {...process.env}

  before(async () => {
    emulator = await startEmulator({scenario: ROLLBACK_SCENARIO, timeScale: 200})
    process.env.AWS_ENDPOINT_URL = emulator.endpoint
    process.env.TASKONAUT_POLL_INTERVAL_MS = '20'
    sinon.stub(terminal, 'isInteractive').returns(false)
    // Two rollbacks: one that lands, one the circuit breaker undoes.
    await runCommand(['rollback', '-c', 'prod', '-s', 'web', '--to-revision', '10', '--yes', '--wait'])
    await runCommand(['rollback', '-c', 'prod', '-s', 'shop', '--to-revision', '3', '--yes', '--wait'])
    process.exitCode = undefined
  })

  after(async () => {
    sinon.restore()
    await emulator.stop()
    for (const key of ['AWS_ENDPOINT_URL', 'TASKONAUT_POLL_INTERVAL_MS']) {
      if (saved[key] === undefined) delete process.env[key]
      else process.env[key] = saved[key]
    }
  })

  it('lists past deployments newest first with revision, source and outcome (--json)', async () => {
    const {stdout} = await runCommand(['rollback', 'history', '-c', 'prod', '-s', 'web', '--json'])
    const doc = JSON.parse(stdout) as {source: string; entries: {byTaskonaut: boolean; revision: string; from: string[]; outcome: string}[]}
    expect(doc.source).to.equal('deployment-records')
    // Only the deployment made by `taskonaut rollback` carries the mark (the service tag).
    expect(doc.entries.map((e) => [e.revision, e.from, e.outcome, e.byTaskonaut])).to.deep.equal([
      ['web:10', ['web:12'], 'succeeded', true],
      ['web:12', ['web:11'], 'succeeded', false],
      ['web:11', ['web:10'], 'succeeded', false],
      ['web:10', [], 'succeeded', false],
    ])
  })

  it('shows a circuit-breaker rollback with ECS reason and where it went back to', async () => {
    const {stdout} = await runCommand(['rollback', 'history', '-c', 'prod', '-s', 'shop'])
    const lines = stdout.split('\n')
    expect(lines[0]).to.match(/^\s+STARTED\s+REVISION\s+FROM\s+TOOK\s+OUTCOME\s+BY\s+REASON$/)
    expect(lines[1]).to.match(/shop:3\s+shop:5\s+.*rolled back → shop:5\s+taskonaut\s+.*circuit breaker/)
  })

  it('names the missing flag without a terminal, and close matches for a typo', async () => {
    const missing = await runCommand(['rollback', 'history', '-c', 'prod'])
    expect(missing.error?.message).to.match(/^Missing --service/)
    const typo = await runCommand(['rollback', 'history', '-c', 'prod', '-s', 'shopp'])
    expect(String((typo.error as {suggestions?: string[]}).suggestions)).to.contain('Did you mean shop')
  })
})
