import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {AwsClients} from '../../../src/lib/aws/clients.js'
import type {AwsContext} from '../../../src/lib/aws/context.js'

const base: AwsContext = {endpointFromFlag: false, maxAttempts: 4, region: 'eu-west-1', regionSource: 'flag'}

describe('AwsClients', () => {
  const saved = {...process.env}
  afterEach(() => {
    Object.assign(process.env, saved)
  })

  it('points only ECS at AWS_ENDPOINT_URL_ECS; STS, EventBridge and KMS keep their own endpoints', async () => {
    delete process.env.AWS_ENDPOINT_URL
    const clients = new AwsClients({...base, endpoint: 'http://ecs-only:1'})
    expect(await (await clients.ecs()).config.endpoint!()).to.include({hostname: 'ecs-only', port: 1})
    for (const other of [await clients.sts(), await clients.eventBridge(), await clients.kms()]) {
      expect(other.config.isCustomEndpoint, other.constructor.name).to.equal(false)
    }
  })

  it('builds KMS with the same retry settings as every other client', async () => {
    const kms = await new AwsClients(base).kms()
    expect(await kms.config.maxAttempts()).to.equal(4)
    const mode = kms.config.retryMode as unknown
    expect(typeof mode === 'function' ? await mode() : mode).to.equal('adaptive')
  })

  it('runs a credential_process once per command, however many clients use it', async () => {
    const dir = join(process.env.TASKONAUT_CONFIG_DIR!, '..')
    const count = join(dir, 'credential-process-runs')
    const script = join(dir, 'credential-process.cjs')
    writeFileSync(count, '')
    writeFileSync(
      script,
      `require('node:fs').appendFileSync(${JSON.stringify(count)}, 'x'); console.log(JSON.stringify({Version: 1, AccessKeyId: 'AKIDPROCESS', SecretAccessKey: 's'}))`,
    )
    // A config file of its own: the SDK caches each file it has read, by path, for the process.
    process.env.AWS_CONFIG_FILE = join(dir, 'aws-config-credential-process')
    writeFileSync(process.env.AWS_CONFIG_FILE, `[profile vault]\ncredential_process = ${process.execPath} ${script}\n`)
    delete process.env.AWS_ACCESS_KEY_ID // the profile alone, without the SDK's warning about both
    delete process.env.AWS_SECRET_ACCESS_KEY
    const context: AwsContext = {...base, profile: 'vault'}
    const clients = new AwsClients(context)
    const [ecs, sts, events] = [await clients.ecs(), await clients.sts(), await clients.eventBridge()]
    const kms = await new AwsClients(context).kms() // exec's KMS client, built separately
    const keys = await Promise.all([ecs, sts, events, kms].map(async (c) => (await c.config.credentials()).accessKeyId))
    expect(keys).to.deep.equal(['AKIDPROCESS', 'AKIDPROCESS', 'AKIDPROCESS', 'AKIDPROCESS'])
    expect(readFileSync(count, 'utf8')).to.equal('x')
  })
})
