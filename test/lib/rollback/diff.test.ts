import type {TaskDefinition} from '@aws-sdk/client-ecs'
import {expect} from 'chai'
import fc from 'fast-check'

import {type Change, diffTaskDefinitions, HIDDEN} from '../../../src/lib/rollback/diff.js'
import {cellPair, renderDiff} from '../../../src/lib/rollback/render.js'
import {DIGEST_A, DIGEST_B, webRevision, withWeb} from './fixtures.js'

const find = (changes: Change[], field: string) => changes.filter((c) => c.field === field)

describe('diffTaskDefinitions', () => {
  it('finds nothing between two registrations of the same task, apart from the revision', () => {
    const diff = diffTaskDefinitions(webRevision(245), webRevision(243))
    expect(diff.identical).to.equal(true)
    expect(diff.task).to.deep.equal([])
    expect(diff.from.revision).to.equal(245)
    expect(diff.to.revision).to.equal(243)
    expect(diff.unchangedSummary).to.equal(
      'Unchanged: cpu, memory, task role, execution role, network mode, compatibilities, runtime platform; containers web, log-router',
    )
  })

  it('splits an image change into tag and digest, leaving the registry and repository out', () => {
    const now = webRevision(245)
    const target = withWeb(now, (c) => {
      c.image = c.image!.replace('v2.14.0', 'v2.13.2').replace(DIGEST_A, DIGEST_B)
    }, 243)
    const web = diffTaskDefinitions(now, target).containers.find((c) => c.name === 'web')!
    expect(web.status).to.equal('changed')
    expect(web.changes).to.deep.equal([
      {field: 'image.tag', from: 'v2.14.0', kind: 'changed', label: 'image tag', to: 'v2.13.2'},
      {field: 'image.digest', from: DIGEST_A, kind: 'changed', label: 'image digest', to: DIGEST_B},
    ])
  })

  it('sees a move between registries with ports, and a digest that appears', () => {
    const now = withWeb(webRevision(12), (c) => {
      c.image = 'localhost:5000/shop/web:dev'
    })
    const target = withWeb(now, (c) => {
      c.image = `registry.internal:5443/shop/web:dev@${DIGEST_B}`
    }, 11)
    const changes = diffTaskDefinitions(now, target).containers[0].changes
    expect(find(changes, 'image.registry')).to.deep.equal([
      {field: 'image.registry', from: 'localhost:5000', kind: 'changed', label: 'image registry', to: 'registry.internal:5443'},
    ])
    expect(find(changes, 'image.digest')[0]).to.include({kind: 'added', to: DIGEST_B})
    expect(find(changes, 'image.tag')).to.deep.equal([])
  })

  it('treats nginx and docker.io/library/nginx:latest as the same image', () => {
    const now = withWeb(webRevision(2), (c) => {
      c.image = 'nginx'
    })
    const target = withWeb(now, (c) => {
      c.image = 'docker.io/library/nginx:latest'
    }, 1)
    expect(diffTaskDefinitions(now, target).identical).to.equal(true)
  })

  it('falls back to the whole reference when one side is not a valid image name', () => {
    const now = withWeb(webRevision(2), (c) => {
      c.image = 'Not A Valid Image'
    })
    const target = withWeb(now, (c) => {
      c.image = 'nginx:1'
    }, 1)
    expect(diffTaskDefinitions(now, target).containers[0].changes).to.deep.equal([
      {field: 'image', from: 'Not A Valid Image', kind: 'changed', label: 'image', to: 'nginx:1'},
    ])
  })

  it('reports environment variables added, removed and changed, hiding secret-looking values', () => {
    const now = webRevision(245)
    const target = withWeb(now, (c) => {
      c.environment = [
        {name: 'LOG_LEVEL', value: 'debug'},
        {name: 'DB_PASSWORD', value: 'older-plain'},
        {name: 'LEGACY_MODE', value: '1'},
      ]
    }, 243)
    const changes = diffTaskDefinitions(now, target).containers[0].changes.filter((c) => c.field.startsWith('environment.'))
    expect(changes).to.deep.equal([
      {field: 'environment.LOG_LEVEL', from: 'info', kind: 'changed', label: 'env LOG_LEVEL', to: 'debug'},
      {field: 'environment.FEATURE_CHECKOUT_V2', from: 'true', kind: 'removed', label: 'env FEATURE_CHECKOUT_V2'},
      {field: 'environment.DB_PASSWORD', from: HIDDEN, kind: 'changed', label: 'env DB_PASSWORD', to: HIDDEN},
      {field: 'environment.LEGACY_MODE', kind: 'added', label: 'env LEGACY_MODE', to: '1'},
    ])
    expect(JSON.stringify(changes)).not.to.match(/hunter2|older-plain/)
  })

  it('compares secrets by name and valueFrom only', () => {
    const now = webRevision(245)
    const target = withWeb(now, (c) => {
      c.secrets = [
        {name: 'DATABASE_URL', valueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/web/db-old-XyZ'},
        {name: 'SENTRY_DSN', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/prod/web/sentry'},
      ]
    }, 243)
    const changes = diffTaskDefinitions(now, target).containers[0].changes.filter((c) => c.field.startsWith('secrets.'))
    expect(changes.map((c) => [c.field, c.kind])).to.deep.equal([
      ['secrets.DATABASE_URL', 'changed'],
      ['secrets.STRIPE_KEY', 'removed'],
      ['secrets.SENTRY_DSN', 'added'],
    ])
    expect(changes[0].to).to.match(/db-old-XyZ$/)
  })

  it('lists added and removed containers with their images', () => {
    const now = webRevision(245)
    const target = structuredClone(now)
    target.revision = 243
    target.containerDefinitions = [
      now.containerDefinitions![0],
      {essential: false, image: 'datadog/agent:7', name: 'datadog'},
    ]
    const diff = diffTaskDefinitions(now, target)
    expect(diff.containers.map((c) => [c.name, c.status, c.image])).to.deep.equal([
      ['web', 'unchanged', undefined],
      ['log-router', 'removed', 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0'],
      ['datadog', 'added', 'datadog/agent:7'],
    ])
    expect(diff.identical).to.equal(false)
    expect(diff.unchangedSummary).to.match(/container web$/)
  })

  it('covers the task-level fields', () => {
    const now = webRevision(245)
    const target = webRevision(243, {
      cpu: '256',
      executionRoleArn: undefined,
      memory: '2048',
      networkMode: 'bridge',
      requiresCompatibilities: ['EC2', 'FARGATE'],
      runtimePlatform: {cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX'},
      taskRoleArn: 'arn:aws:iam::123456789012:role/web-task-old',
    })
    const diff = diffTaskDefinitions(now, target)
    expect(diff.task.map((c) => [c.field, c.kind, c.from, c.to])).to.deep.equal([
      ['cpu', 'changed', '512', '256'],
      ['memory', 'changed', '1024', '2048'],
      ['taskRoleArn', 'changed', 'arn:aws:iam::123456789012:role/web-task', 'arn:aws:iam::123456789012:role/web-task-old'],
      ['executionRoleArn', 'removed', 'arn:aws:iam::123456789012:role/web-execution', undefined],
      ['networkMode', 'changed', 'awsvpc', 'bridge'],
      ['requiresCompatibilities', 'changed', 'FARGATE', 'EC2, FARGATE'],
      ['runtimePlatform', 'changed', 'LINUX/X86_64', 'LINUX/ARM64'],
    ])
    expect(diff.unchanged.task).to.deep.equal([])
  })

  it('covers cpu, memory, ports, command, entry point, essential and health check per container', () => {
    const now = webRevision(245)
    const target = withWeb(now, (c) => {
      c.cpu = 256
      c.memory = undefined
      c.memoryReservation = 512
      c.portMappings = [{containerPort: 8080, hostPort: 8080, protocol: 'tcp'}, {containerPort: 9090, name: 'metrics', protocol: 'tcp'}]
      c.command = ['bundle', 'exec', 'puma', '-C', 'config/puma.rb']
      c.entryPoint = ['sh', '-c']
      c.essential = undefined
      c.healthCheck = {command: ['CMD-SHELL', 'curl -f localhost:8080/ || exit 1'], interval: 30}
    }, 243)
    const changes = diffTaskDefinitions(now, target).containers[0].changes
    expect(changes.map((c) => [c.field, c.kind])).to.deep.equal([
      ['cpu', 'changed'],
      ['memory', 'removed'],
      ['memoryReservation', 'added'],
      ['portMappings', 'added'],
      ['command', 'added'],
      ['entryPoint', 'added'],
      ['healthCheck', 'changed'],
    ])
    expect(find(changes, 'portMappings')[0].to).to.equal('9090/tcp (metrics)')
    expect(find(changes, 'command')[0].to).to.equal('bundle exec puma -C config/puma.rb')
    expect(find(changes, 'healthCheck')[0].from).to.equal(
      'CMD-SHELL "curl -fsS localhost:8080/health || exit 1" (every 15s, timeout 5s, 3 retries, start period 0s)',
    )
  })

  it('lists what was compared and found equal inside a changed container', () => {
    const now = webRevision(245)
    const target = withWeb(now, (c) => {
      c.image = c.image!.replace('v2.14.0', 'v2.13.2')
      c.environment = c.environment!.map((e) => (e.name === 'LOG_LEVEL' ? {...e, value: 'debug'} : e))
    }, 243)
    const diff = diffTaskDefinitions(now, target)
    const web = diff.containers.find((c) => c.name === 'web')!
    expect(web.changes.map((c) => c.field)).to.deep.equal(['image.tag', 'environment.LOG_LEVEL'])
    expect(web.unchanged).to.deep.equal([
      'image registry',
      'image repository',
      'image digest',
      'cpu',
      'memory',
      'env (2 others)',
      'secrets (2)',
      'ports (1)',
      'essential',
      'health check',
      'logConfiguration',
    ])
    const fewer = withWeb(now, (c) => {
      c.environment = [{name: 'LOG_LEVEL', value: 'debug'}, {name: 'FEATURE_CHECKOUT_V2', value: 'true'}]
    }, 243)
    expect(diffTaskDefinitions(now, fewer).containers[0].unchanged).to.include('env (1 other)')
    // Settings neither container has (memory reservation, command, entry point) were not compared: not listed.
    expect(diff.unchangedSummary).to.equal(
      'Unchanged: cpu, memory, task role, execution role, network mode, compatibilities, runtime platform; container log-router; ' +
        'web: image registry, image repository, image digest, cpu, memory, env (2 others), secrets (2), ports (1), essential, health check, logConfiguration',
    )
  })

  it('does not call a setting unchanged when neither revision sets it', () => {
    const bare = (revision: number) => webRevision(revision, {runtimePlatform: undefined, taskRoleArn: undefined})
    const diff = diffTaskDefinitions(bare(245), withWeb(bare(243), (c) => (c.cpu = 256)))
    expect(diff.unchanged.task).to.deep.equal(['cpu', 'memory', 'execution role', 'network mode', 'compatibilities'])
    expect(diff.unchangedSummary).not.to.match(/task role|runtime platform|memory reservation|command|entry point/)
  })

  it('treats a missing essential as true, like ECS', () => {
    const now = withWeb(webRevision(3), (c) => {
      c.essential = true
    })
    const target = withWeb(now, (c) => {
      c.essential = undefined
    }, 2)
    expect(diffTaskDefinitions(now, target).identical).to.equal(true)
  })

  it('does not miss fields outside the list: log configuration, volumes', () => {
    const now = webRevision(245)
    const target = withWeb(now, (c) => {
      c.logConfiguration = {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/web-old', 'awslogs-region': 'eu-west-1'}}
    }, 243)
    target.volumes = [{host: {}, name: 'scratch'}]
    const diff = diffTaskDefinitions(now, target)
    expect(diff.task.map((c) => [c.field, c.kind])).to.deep.equal([['volumes', 'added']])
    expect(find(diff.containers[0].changes, 'logConfiguration')[0].to).to.contain('/ecs/web-old')
  })

  it('hides values under secret-looking keys in other settings (a log driver token), still seeing them change', () => {
    const now = withWeb(webRevision(245), (c) => {
      c.logConfiguration = {logDriver: 'splunk', options: {'splunk-token': 'tok-now-1234', 'splunk-url': 'https://splunk.example:8088'}}
      c.dockerLabels = {'com.example.api-key': 'key-now'}
    })
    const target = withWeb(now, (c) => {
      c.logConfiguration = {logDriver: 'splunk', options: {'splunk-token': 'tok-old-5678', 'splunk-url': 'https://splunk.example:8088'}}
      c.dockerLabels = {'com.example.api-key': 'key-old'}
    }, 243)
    const changes = diffTaskDefinitions(now, target).containers[0].changes
    expect(changes.map((c) => c.field)).to.deep.equal(['dockerLabels', 'logConfiguration'])
    expect(find(changes, 'logConfiguration')[0].from).to.contain('"splunk-token":"(hidden)"').and.contain('https://splunk.example:8088')
    expect(JSON.stringify(changes)).not.to.match(/tok-now|tok-old|key-now|key-old/)
  })

  it('ignores metadata ECS sets itself (registeredBy, requiresAttributes, status)', () => {
    const target = webRevision(243, {registeredBy: 'someone-else', requiresAttributes: [], status: 'INACTIVE'})
    expect(diffTaskDefinitions(webRevision(245), target).identical).to.equal(true)
  })

  it('is a mirror image when the two sides swap (property)', () => {
    const value = fc.option(fc.constantFrom('a', 'b', 'c'), {nil: undefined})
    const container = fc.record({
      cpu: fc.option(fc.integer({max: 4, min: 1}), {nil: undefined}),
      env: fc.array(fc.tuple(fc.constantFrom('A', 'B', 'TOKEN'), fc.constantFrom('1', '2')), {maxLength: 3}),
      image: fc.constantFrom('nginx', 'nginx:1', `nginx@${DIGEST_A}`, 'localhost:5000/x/y:2', 'Bad Ref'),
      name: fc.constantFrom('app', 'side'),
      secrets: fc.array(fc.tuple(fc.constantFrom('S1', 'S2'), fc.constantFrom('arn:x', 'arn:y')), {maxLength: 2}),
    })
    const td = fc.record({containers: fc.uniqueArray(container, {maxLength: 3, selector: (c) => c.name}), cpu: value, mode: value}).map(
      (x): TaskDefinition => ({
        containerDefinitions: x.containers.map((c) => ({
          cpu: c.cpu,
          environment: c.env.map(([name, v]) => ({name, value: v})),
          image: c.image,
          name: c.name,
          secrets: c.secrets.map(([name, valueFrom]) => ({name, valueFrom})),
        })),
        cpu: x.cpu,
        family: 'f',
        networkMode: x.mode as TaskDefinition['networkMode'],
        revision: 1,
      }),
    )
    const flip = {added: 'removed', changed: 'changed', removed: 'added'} as const
    const norm = (changes: Change[]) => changes.map((c) => `${c.field}|${c.kind}|${c.from}|${c.to}`).sort()
    fc.assert(
      fc.property(td, td, (a, b) => {
        const ab = diffTaskDefinitions(a, b)
        const ba = diffTaskDefinitions(b, a)
        expect(ab.identical).to.equal(ba.identical)
        expect(norm(ab.task)).to.deep.equal(norm(ba.task.map((c) => ({...c, from: c.to, kind: flip[c.kind], to: c.from}))))
        expect(diffTaskDefinitions(a, a).identical).to.equal(true)
        // A TOKEN variable's value is never in the diff.
        for (const c of [...ab.containers.flatMap((x) => x.changes), ...ba.containers.flatMap((x) => x.changes)]) {
          if (c.field === 'environment.TOKEN') expect([c.from, c.to].filter((v) => v !== undefined && v !== HIDDEN)).to.deep.equal([])
        }
      }),
      {numRuns: 300},
    )
  })
})

describe('renderDiff', () => {
  it('shows both revisions, a table of changes and the unchanged line, without colour by default', () => {
    const now = webRevision(245)
    const target = withWeb(webRevision(243), (c) => {
      c.image = c.image!.replace('v2.14.0', 'v2.13.2').replace(DIGEST_A, DIGEST_B)
      c.environment = [{name: 'LOG_LEVEL', value: 'debug'}, {name: 'DB_PASSWORD', value: 'old'}]
    })
    const text = renderDiff(diffTaskDefinitions(now, target), {now: new Date(Date.UTC(2026, 11, 3))})
    expect(text).to.contain('now    web:245  registered 2026-11-25 09:30 UTC (7 days ago)')
    expect(text).to.contain('after  web:243  registered 2026-11-23 09:30 UTC (9 days ago)')
    expect(text).to.match(/CHANGE\s+NOW \(245\)\s+AFTER \(243\)/)
    expect(text).to.match(/image tag\s+v2\.14\.0\s+v2\.13\.2/)
    expect(text).to.match(/image digest\s+sha256:0a1b2c3d0a1b…\s+sha256:f0e1d2c3f0e1…/)
    expect(text).to.match(/env FEATURE_CHECKOUT_V2\s+true\s+—/)
    expect(text).to.match(/env DB_PASSWORD\s+value hidden\s+value hidden/)
    expect(text).to.contain('Unchanged: cpu, memory')
    expect(text).not.to.contain('\u001B[')
    expect(text).not.to.contain('hunter2')
  })

  it('cuts long values around where they differ, so the change stays in view', () => {
    const command = (retries: number) => `CMD-SHELL "curl -fsS http://localhost:8080/internal/health/deep?verbose=1 || exit 1" (every 15s, timeout 5s, ${retries} retries, start period 0s)`
    const [a, b] = cellPair(command(3), command(5), 56)
    expect(a.length).to.equal(56)
    // The start both share is left out; the differing retries and what follows stay.
    expect(a).to.match(/^….*3 retries, start period 0s\)$/)
    expect(b).to.match(/^….*5 retries, start period 0s\)$/)
    const long = (n: number) => `${'p'.repeat(60)}${n}${'q'.repeat(60)}`
    const [c, d] = cellPair(long(1), long(2), 30)
    expect([c.length, d.length]).to.deep.equal([30, 30])
    expect(c).to.match(/^…p+1q+…$/)
    expect(d).to.match(/^…p+2q+…$/)
    // Values that differ at the start or the end keep that end.
    expect(cellPair(`a${'x'.repeat(80)}`, `b${'x'.repeat(80)}`, 20)).to.deep.equal([`a${'x'.repeat(18)}…`, `b${'x'.repeat(18)}…`])
    expect(cellPair(`${'x'.repeat(80)}a`, `${'x'.repeat(80)}b`, 20)).to.deep.equal([`…${'x'.repeat(18)}a`, `…${'x'.repeat(18)}b`])
    expect(cellPair('short', 'shirt', 20)).to.deep.equal(['short', 'shirt'])

    const now = webRevision(245)
    const target = withWeb(now, (c) => {
      c.healthCheck = {...c.healthCheck!, retries: 5}
    }, 243)
    const text = renderDiff(diffTaskDefinitions(now, target), {width: 40})
    expect(text).to.match(/health check\s+…[^\n]*3 retries[^\n]*\s+…[^\n]*5 retries/)
  })

  it('says so when the target is newer than the running revision (a roll forward), and only then', () => {
    const now = webRevision(243)
    const newer = withWeb(webRevision(245), (c) => {
      c.image = c.image!.replace('v2.14.0', 'v2.15.0')
    })
    expect(renderDiff(diffTaskDefinitions(now, newer))).to.contain('web:245 is newer than the running web:243: this rolls forward, not back.')
    expect(renderDiff(diffTaskDefinitions(newer, now))).not.to.contain('rolls forward')
  })

  it('says so when the two revisions define the same task', () => {
    const text = renderDiff(diffTaskDefinitions(webRevision(245), webRevision(243)))
    expect(text).to.contain('define the same task')
  })
})
