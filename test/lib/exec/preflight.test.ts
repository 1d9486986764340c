import {DescribeTasksCommand, ECSClient} from '@aws-sdk/client-ecs'
import {mockClient} from 'aws-sdk-client-mock'
import {expect} from 'chai'
import {chmod, mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {execPreflight, preflight, type PreflightItem} from '../../../src/lib/exec/preflight.js'
import {CLUSTER_ARN, fakeContainer, fakeTask} from './fake-tasks.js'

const PLUGIN = '/usr/local/bin/session-manager-plugin'
const failing = (items: PreflightItem[]) => items.filter((i) => !i.ok)

describe('exec preflight', () => {
  it('passes every item for a running task with exec, a running agent and the plugin', () => {
    const items = preflight({cluster: CLUSTER_ARN, container: 'app', pluginPath: PLUGIN, task: fakeTask()})
    expect(items.map((i) => i.id)).to.deep.equal(['task-running', 'exec-enabled', 'container-running', 'agent-running', 'plugin'])
    expect(failing(items)).to.deep.equal([])
  })

  it('task not RUNNING: says its state and how to pick a running one', () => {
    const task = fakeTask({desiredStatus: 'STOPPED', lastStatus: 'STOPPED', stoppedReason: 'Essential container in task exited'})
    const [item] = failing(preflight({cluster: CLUSTER_ARN, container: 'app', pluginPath: PLUGIN, task}))
    expect(item.id).to.equal('task-running')
    expect(item.detail).to.include('STOPPED').and.include('Essential container in task exited')
    expect(item.fix).to.equal('Pick a running task: taskonaut exec --cluster prod --service web')
  })

  it('exec not enabled on a service task: gives the update-service command', () => {
    const task = fakeTask({containers: [fakeContainer('app', {managedAgents: []})], enableExecuteCommand: false})
    const items = failing(preflight({cluster: CLUSTER_ARN, container: 'app', pluginPath: PLUGIN, task}))
    expect(items.map((i) => i.id)).to.deep.equal(['exec-enabled', 'agent-running'])
    expect(items[0].fix).to.include('aws ecs update-service --cluster prod --service web --enable-execute-command --force-new-deployment')
  })

  it('exec not enabled on a standalone task: says to start it with exec enabled', () => {
    const task = fakeTask({enableExecuteCommand: false, group: 'family:batch'})
    const [item] = failing(preflight({cluster: CLUSTER_ARN, container: 'app', pluginPath: PLUGIN, task}))
    expect(item.fix).to.include('--enable-execute-command').and.not.include('update-service')
  })

  it('agent not RUNNING: pending says wait, stopped names the task role and ssmmessages', () => {
    const pending = fakeTask({containers: [fakeContainer('app', {managedAgents: [{lastStatus: 'PENDING', name: 'ExecuteCommandAgent'}]})]})
    const [p] = failing(preflight({cluster: CLUSTER_ARN, container: 'app', pluginPath: PLUGIN, task: pending}))
    expect(p.id).to.equal('agent-running')
    expect(p.fix).to.include('few seconds')
    const stopped = fakeTask({
      containers: [fakeContainer('app', {managedAgents: [{lastStatus: 'STOPPED', name: 'ExecuteCommandAgent', reason: 'agent died'}]})],
    })
    const [s] = failing(preflight({cluster: CLUSTER_ARN, container: 'app', pluginPath: PLUGIN, task: stopped}))
    expect(s.detail).to.include('STOPPED').and.include('agent died')
    expect(s.fix).to.include('task role').and.include('ssmmessages')
  })

  it('container stopped: its state, reason and exit code', () => {
    const task = fakeTask({
      containers: [fakeContainer('app'), fakeContainer('migrate', {exitCode: 0, lastStatus: 'STOPPED', managedAgents: [{lastStatus: 'STOPPED', name: 'ExecuteCommandAgent'}]})],
    })
    const items = failing(preflight({cluster: CLUSTER_ARN, container: 'migrate', pluginPath: PLUGIN, task}))
    expect(items[0].id).to.equal('container-running')
    expect(items[0].detail).to.include('STOPPED').and.include('exit code 0')
    // The other container is not looked at when one is chosen.
    expect(items.every((i) => !i.title.includes(' app'))).to.equal(true)
  })

  it('unknown container: lists the ones the task has', () => {
    const task = fakeTask({containers: [fakeContainer('app'), fakeContainer('envoy')]})
    const [item] = failing(preflight({cluster: CLUSTER_ARN, container: 'nginx', pluginPath: PLUGIN, task}))
    expect(item.id).to.equal('container')
    expect(item.fix).to.equal('Pass --container with one of: app, envoy')
  })

  it('unknown container close to one the task has: "did you mean" first', () => {
    const task = fakeTask({containers: [fakeContainer('app'), fakeContainer('envoy')]})
    const [item] = failing(preflight({cluster: CLUSTER_ARN, container: 'envy', pluginPath: PLUGIN, task}))
    expect(item.fix).to.equal('Did you mean envoy? Pass --container with one of: app, envoy')
  })

  it('no container chosen: checks every container', () => {
    const task = fakeTask({containers: [fakeContainer('app'), fakeContainer('envoy', {managedAgents: []})]})
    const items = preflight({cluster: CLUSTER_ARN, pluginPath: PLUGIN, task})
    expect(items.filter((i) => i.id === 'agent-running').map((i) => i.ok)).to.deep.equal([true, false])
  })

  for (const [platform, hint] of [
    ['darwin', 'brew install --cask session-manager-plugin'],
    ['linux', '.deb'],
    ['win32', 'winget install'],
  ] as const) {
    it(`plugin missing on ${platform}: says how to install it there`, () => {
      const [item] = failing(preflight({cluster: CLUSTER_ARN, container: 'app', platform, task: fakeTask()}))
      expect(item.id).to.equal('plugin')
      expect(item.fix).to.include(hint)
    })
  }

  it('without the plugin (built-in client), the plugin is not checked', () => {
    const items = preflight({cluster: CLUSTER_ARN, container: 'app', needsPlugin: false, task: fakeTask()})
    expect(items.map((i) => i.id)).not.to.include('plugin')
    expect(failing(items)).to.deep.equal([])
  })

  describe('execPreflight (for doctor)', () => {
    // Made per test and restored: a client mock made when the file loads would take over
    // ECSClient for every other test file.
    let ecsMock: ReturnType<typeof mockClient>
    beforeEach(() => {
      ecsMock = mockClient(ECSClient)
    })
    afterEach(() => ecsMock.restore())

    it('describes the task once and reports every item with the plugin found on PATH', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'plugin-'))
      await writeFile(join(dir, 'session-manager-plugin'), '#!/bin/sh\n')
      await chmod(join(dir, 'session-manager-plugin'), 0o755)
      ecsMock.on(DescribeTasksCommand).resolves({tasks: [fakeTask()]})
      const report = await execPreflight(new ECSClient({region: 'eu-west-1'}), {cluster: 'prod', task: 'abc'}, {env: {PATH: dir}, platform: 'linux'})
      expect(report.ok).to.equal(true)
      expect(report.items.find((i) => i.id === 'plugin')?.detail).to.equal(join(dir, 'session-manager-plugin'))
      expect(ecsMock.commandCalls(DescribeTasksCommand)).to.have.length(1)
    })

    it('an unknown task is one failed item with a fix', async () => {
      ecsMock.on(DescribeTasksCommand).resolves({failures: [{arn: 'x', reason: 'MISSING'}], tasks: []})
      const report = await execPreflight(new ECSClient({region: 'eu-west-1'}), {cluster: 'prod', task: 'nope'}, {env: {PATH: ''}})
      expect(report.ok).to.equal(false)
      expect(report.items).to.have.length(1)
      expect(report.items[0]).to.include({id: 'task-found', ok: false, detail: 'MISSING'})
    })
  })
})
