import {
  DescribeTasksCommand,
  type ECSClient,
  ExecuteCommandCommand,
  ListTasksCommand,
  paginateListTasks,
  RunTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs'
import {expect} from 'chai'

import {clients, failure} from './contract-helpers.js'
import {type Emulator, type Scenario, startEmulator, TIMING} from './index.js'

const scenario: Scenario = {
  clusters: [
    {
      name: 'prod',
      services: [
        {desiredCount: 3, name: 'web', taskDefinition: 'web:3'},
        {desiredCount: 1, enableExecuteCommand: false, name: 'closed', taskDefinition: 'web:3'},
        {desiredCount: 1, execAgent: 'STOPPED', name: 'agentless', taskDefinition: 'web:3'},
        {desiredCount: 1, name: 'mesh', taskDefinition: 'mesh:1'},
      ],
      tasks: [{count: 2, startedBy: 'nightly', taskDefinition: 'batch:1'}],
    },
    {name: 'huge', services: [{desiredCount: 150, name: 'fleet', taskDefinition: 'web:3'}]},
    {name: 'jobs', services: [{desiredCount: 1, name: 'report', taskDefinition: 'report:1'}]},
  ],
  families: [
    {family: 'web', inactive: '1', revisions: 3},
    {family: 'batch', revisions: 1},
    {
      containers: [
        {essential: true, image: 'app:{revision}', name: 'app'},
        {essential: true, image: 'envoy:1', name: 'envoy'},
      ],
      family: 'mesh',
      revisions: 1,
    },
    {
      containers: [
        {essential: true, image: 'report:{revision}', name: 'app'},
        {essential: false, image: 'fetch-config:1', name: 'init'},
      ],
      family: 'report',
      revisions: 1,
    },
  ],
}

describe('emulator tasks and exec', () => {
  let em: Emulator
  let ecs: ECSClient
  beforeEach(async () => {
    em = await startEmulator({scenario})
    ecs = clients(em).ecs
  })
  afterEach(async () => {
    await em.stop()
  })

  const tasksOf = async (serviceName: string) => (await ecs.send(new ListTasksCommand({cluster: 'prod', serviceName}))).taskArns ?? []

  it('lists RUNNING tasks by default, filtered by service, family and startedBy', async () => {
    expect(await tasksOf('web')).to.have.length(3)
    const byFamily = await ecs.send(new ListTasksCommand({cluster: 'prod', family: 'batch'}))
    expect(byFamily.taskArns).to.have.length(2)
    const byStarter = await ecs.send(new ListTasksCommand({cluster: 'prod', startedBy: 'nightly'}))
    expect(byStarter.taskArns).to.deep.equal(byFamily.taskArns)
    const all = await ecs.send(new ListTasksCommand({cluster: 'prod'}))
    expect(all.taskArns).to.have.length(8)
    expect((await failure(ecs.send(new ListTasksCommand({cluster: 'prod', serviceName: 'ghost'})))).name).to.equal('ServiceNotFoundException')
    expect((await failure(ecs.send(new ListTasksCommand({cluster: 'ghost'})))).name).to.equal('ClusterNotFoundException')
  })

  it('never lists a task for desiredStatus PENDING; RUNNING includes tasks still starting', async () => {
    const run = await ecs.send(new RunTaskCommand({cluster: 'prod', taskDefinition: 'batch'}))
    const arn = run.tasks?.[0].taskArn ?? ''
    em.advance(TIMING.taskStartMs / 2) // lastStatus PENDING, desiredStatus RUNNING
    const pending = await ecs.send(new ListTasksCommand({cluster: 'prod', desiredStatus: 'PENDING'}))
    expect(pending.taskArns).to.deep.equal([])
    expect(pending.nextToken).to.equal(undefined)
    const running = await ecs.send(new ListTasksCommand({cluster: 'prod', desiredStatus: 'RUNNING'}))
    expect(running.taskArns).to.include(arn)
    // Still validated in full.
    expect((await failure(ecs.send(new ListTasksCommand({cluster: 'prod', desiredStatus: 'PENDING', serviceName: 'ghost'})))).name).to.equal('ServiceNotFoundException')
    expect((await failure(ecs.send(new ListTasksCommand({cluster: 'prod', desiredStatus: 'PENDING', nextToken: 'garbage'})))).name).to.equal('InvalidParameterException')
  })

  it('refuses startedBy with any other filter; desiredStatus may go with it', async () => {
    for (const other of [{family: 'batch'}, {serviceName: 'web'}, {launchType: 'FARGATE' as const}, {containerInstance: 'ci-1'}]) {
      const e = await failure(ecs.send(new ListTasksCommand({cluster: 'prod', startedBy: 'nightly', ...other})))
      expect(e.name, JSON.stringify(other)).to.equal('InvalidParameterException')
    }

    const byStarter = await ecs.send(new ListTasksCommand({cluster: 'prod', desiredStatus: 'RUNNING', startedBy: 'nightly'}))
    expect(byStarter.taskArns).to.have.length(2)
    const stopped = await ecs.send(new ListTasksCommand({cluster: 'prod', desiredStatus: 'STOPPED', startedBy: 'nightly'}))
    expect(stopped.taskArns).to.deep.equal([])
  })

  it('pages ListTasks by 100 by default and validates maxResults', async () => {
    const first = await ecs.send(new ListTasksCommand({cluster: 'huge'}))
    expect(first.taskArns).to.have.length(100)
    const all: string[] = []
    for await (const p of paginateListTasks({client: ecs}, {cluster: 'huge'})) all.push(...(p.taskArns ?? []))
    expect(new Set(all).size).to.equal(150)
    expect((await failure(ecs.send(new ListTasksCommand({cluster: 'huge', maxResults: 0})))).name).to.equal('InvalidParameterException')
  })

  it('describes at most 100 tasks with containers, runtimeId and the exec agent; unknown → MISSING', async () => {
    const arns = (await ecs.send(new ListTasksCommand({cluster: 'huge', maxResults: 100}))).taskArns ?? []
    const tooMany = await failure(ecs.send(new DescribeTasksCommand({cluster: 'huge', tasks: [...arns, 'extra']})))
    expect(tooMany.name).to.equal('InvalidParameterException')
    const res = await ecs.send(new DescribeTasksCommand({cluster: 'prod', tasks: [...(await tasksOf('web')), 'deadbeef']}))
    expect(res.tasks).to.have.length(3)
    expect(res.failures).to.deep.equal([{arn: 'arn:aws:ecs:eu-west-1:123456789012:task/prod/deadbeef', reason: 'MISSING'}])
    const t = res.tasks?.[0]
    expect(t).to.include({desiredStatus: 'RUNNING', enableExecuteCommand: true, group: 'service:web', lastStatus: 'RUNNING'})
    expect(t?.taskDefinitionArn).to.match(/web:3$/)
    expect(t?.startedAt).to.be.instanceOf(Date)
    const c = t?.containers?.[0]
    expect(c?.runtimeId).to.match(/^[0-9a-f]{32}-\d{10}$/)
    expect(c?.managedAgents).to.deep.equal([{lastStartedAt: c?.managedAgents?.[0].lastStartedAt, lastStatus: 'RUNNING', name: 'ExecuteCommandAgent'}])
    const closed = await ecs.send(new DescribeTasksCommand({cluster: 'prod', tasks: await tasksOf('closed')}))
    expect(closed.tasks?.[0].enableExecuteCommand).to.equal(false)
    expect(closed.tasks?.[0].containers?.[0].managedAgents).to.equal(undefined)
  })

  it('runs a task: PROVISIONING → PENDING → RUNNING over simulated time; refuses INACTIVE revisions', async () => {
    const run = await ecs.send(new RunTaskCommand({cluster: 'prod', count: 2, enableExecuteCommand: true, startedBy: 'me', taskDefinition: 'batch'}))
    expect(run.tasks?.map((t) => t.lastStatus)).to.deep.equal(['PROVISIONING', 'PROVISIONING'])
    expect(run.failures).to.deep.equal([])
    const arn = run.tasks?.[0].taskArn ?? ''
    em.advance(TIMING.taskStartMs / 2)
    expect((await ecs.send(new DescribeTasksCommand({cluster: 'prod', tasks: [arn]}))).tasks?.[0].lastStatus).to.equal('PENDING')
    em.advance(TIMING.taskStartMs)
    const t = (await ecs.send(new DescribeTasksCommand({cluster: 'prod', tasks: [arn]}))).tasks?.[0]
    expect(t?.lastStatus).to.equal('RUNNING')
    expect(t?.group).to.equal('family:batch')
    // RunTask answers InvalidParameterException (CreateService/UpdateService: ClientException).
    const inactive = await failure(ecs.send(new RunTaskCommand({cluster: 'prod', taskDefinition: 'web:1'})))
    expect(inactive.name).to.equal('InvalidParameterException')
    expect(inactive.message).to.equal('TaskDefinition is inactive')
    expect((await failure(ecs.send(new RunTaskCommand({cluster: 'prod', count: 11, taskDefinition: 'batch'})))).name).to.equal('InvalidParameterException')
  })

  it('stops a task (desiredStatus STOPPED, then STOPPED) and the service replaces it', async () => {
    const [arn] = await tasksOf('web')
    const res = await ecs.send(new StopTaskCommand({cluster: 'prod', reason: 'testing', task: arn}))
    expect(res.task).to.include({desiredStatus: 'STOPPED', stoppedReason: 'testing'})
    em.advance(TIMING.taskStopMs + TIMING.taskStartMs)
    const t = (await ecs.send(new DescribeTasksCommand({cluster: 'prod', tasks: [arn]}))).tasks?.[0]
    expect(t).to.include({lastStatus: 'STOPPED', stopCode: 'UserInitiated'})
    expect(await tasksOf('web')).to.have.length(3).and.not.include(arn)
    const stopped = await ecs.send(new ListTasksCommand({cluster: 'prod', desiredStatus: 'STOPPED', serviceName: 'web'}))
    expect(stopped.taskArns).to.deep.equal([arn])
    expect((await failure(ecs.send(new StopTaskCommand({cluster: 'prod', task: 'nope'})))).name).to.equal('InvalidParameterException')
  })

  it('starts an exec session with a stream URL on this server and a token', async () => {
    const [arn] = await tasksOf('web')
    const res = await ecs.send(new ExecuteCommandCommand({cluster: 'prod', command: '/bin/sh', interactive: true, task: arn}))
    const id = res.session?.sessionId ?? ''
    expect(id).to.match(/^ecs-execute-command-/)
    expect(res.session?.streamUrl).to.equal(`ws://127.0.0.1:${em.port}/ssm/data-channel/${id}`)
    expect(res.session?.tokenValue).to.match(/^[A-Za-z0-9+/=]{20,}$/)
    expect(res.containerName).to.equal('app')
    const session = em.session(id)
    expect(session?.target).to.match(/^ecs:prod_[0-9a-f]{32}_[0-9a-f]{32}-\d{10}$/)
    expect(session?.command).to.equal('/bin/sh')
  })

  it('refuses exec like AWS: not enabled, agent not connected, container needed, bad task', async () => {
    const exec = (task: string, extra: {container?: string} = {}) =>
      failure(ecs.send(new ExecuteCommandCommand({cluster: 'prod', command: 'sh', interactive: true, task, ...extra})))
    const closed = await exec((await tasksOf('closed'))[0])
    expect(closed.name).to.equal('InvalidParameterException')
    expect(closed.message).to.contain('execute command was not enabled')
    const agentless = await exec((await tasksOf('agentless'))[0])
    expect(agentless.name).to.equal('TargetNotConnectedException')
    const [mesh] = await tasksOf('mesh')
    expect((await exec(mesh)).message).to.contain('multiple containers')
    expect((await exec(mesh, {container: 'nope'})).name).to.equal('InvalidParameterException')
    const ok = await ecs.send(new ExecuteCommandCommand({cluster: 'prod', command: 'sh', container: 'envoy', interactive: true, task: mesh}))
    expect(ok.containerName).to.equal('envoy')
    expect((await exec('0123456789abcdef0123456789abcdef')).name).to.equal('InvalidParameterException')
    const [web] = await tasksOf('web')
    em.setExecAgent(web, 'STOPPED')
    expect((await exec(web)).name).to.equal('TargetNotConnectedException')
  })

  it('a non-essential container that exits shows STOPPED with its code while the task runs on; an essential one stops the task', async () => {
    const [task] = (await ecs.send(new ListTasksCommand({cluster: 'jobs'}))).taskArns ?? []
    const describe = async () => (await ecs.send(new DescribeTasksCommand({cluster: 'jobs', tasks: [task]}))).tasks![0]
    em.exitContainer(task, 'init', 0)
    const after = await describe()
    expect(after.lastStatus).to.equal('RUNNING')
    const init = after.containers!.find((c) => c.name === 'init')!
    expect(init).to.include({exitCode: 0, lastStatus: 'STOPPED'})
    expect(init.managedAgents![0].lastStatus).to.equal('STOPPED')
    expect(after.containers!.find((c) => c.name === 'app')!.lastStatus).to.equal('RUNNING')
    // No agent runs in a container that has exited; the other one still takes a session.
    const exec = (container: string) => ecs.send(new ExecuteCommandCommand({cluster: 'jobs', command: 'sh', container, interactive: true, task}))
    expect((await failure(exec('init'))).name).to.equal('TargetNotConnectedException')
    expect((await exec('app')).containerName).to.equal('app')

    em.exitContainer(task, 'app', 137)
    const stopping = await describe()
    expect(stopping).to.include({desiredStatus: 'STOPPED', stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited'})
    expect(stopping.containers!.find((c) => c.name === 'app')).to.include({exitCode: 137, lastStatus: 'STOPPED'})
    em.advance(TIMING.taskStopMs)
    expect((await describe()).lastStatus).to.equal('STOPPED')
    expect(() => em.exitContainer(task, 'app', 0)).to.throw(/not RUNNING/)
  })
})
