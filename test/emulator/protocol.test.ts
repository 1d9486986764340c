import {ListClustersCommand, ListServicesCommand} from '@aws-sdk/client-ecs'
import {GetCallerIdentityCommand} from '@aws-sdk/client-sts'
import {expect} from 'chai'

import {clients, failure, rawCall} from './contract-helpers.js'
import {type Emulator, startEmulator} from './index.js'

const ECS = 'AmazonEC2ContainerServiceV20141113.'

describe('emulator protocol', () => {
  let em: Emulator
  beforeEach(async () => {
    em = await startEmulator()
  })
  afterEach(async () => {
    await em.stop()
  })

  it('answers malformed JSON with SerializationException and keeps serving', async () => {
    const r = await rawCall(em, `${ECS}ListClusters`, '{"maxResults": ')
    expect(r.status).to.equal(400)
    expect(r.json.__type).to.equal('SerializationException')
    const again = await rawCall(em, `${ECS}ListClusters`, '[]')
    expect(again.json.__type).to.equal('SerializationException')
    const empty = await rawCall(em, `${ECS}ListClusters`, '')
    expect(empty.json.__type).to.equal('SerializationException')
    const ok = await rawCall(em, `${ECS}ListClusters`, '{}')
    expect(ok.status).to.equal(200)
  })

  it('answers unknown targets and operations with UnknownOperationException', async () => {
    expect((await rawCall(em, 'Nope.ListClusters', '{}')).json.__type).to.equal('UnknownOperationException')
    expect((await rawCall(em, `${ECS}ExplodeCluster`, '{}')).json.__type).to.equal('UnknownOperationException')
    expect((await rawCall(em, undefined, '{}')).status).to.equal(404)
  })

  it('answers a member of the wrong type with SerializationException', async () => {
    const r = await rawCall(em, `${ECS}ListClusters`, '{"maxResults": "ten"}')
    expect(r.json.__type).to.equal('SerializationException')
  })

  it('answers STS GetCallerIdentity in the Query protocol', async () => {
    const {sts} = clients(em)
    const id = await sts.send(new GetCallerIdentityCommand({}))
    expect(id.Account).to.equal('123456789012')
    expect(id.Arn).to.equal('arn:aws:iam::123456789012:user/taskonaut-emulator')
    expect(id.UserId).to.match(/^AIDA/)
    expect(em.calls('GetCallerIdentity')[0].service).to.equal('sts')
  })

  it('logs operation, params, status and error type', async () => {
    const {ecs} = clients(em)
    await ecs.send(new ListClustersCommand({maxResults: 5}))
    const e = await failure(ecs.send(new ListServicesCommand({cluster: 'ghost'})))
    expect(e.name).to.equal('ClusterNotFoundException')
    expect(e.$metadata?.httpStatusCode).to.equal(400)
    expect(em.requests.map((r) => r.operation)).to.deep.equal(['ListClusters', 'ListServices'])
    expect(em.calls('ListClusters')[0]).to.include({service: 'ecs', status: 200})
    expect(em.calls('ListClusters')[0].params).to.deep.equal({maxResults: 5})
    expect(em.calls('ListServices')[0]).to.include({errorType: 'ClusterNotFoundException', status: 400})
    em.clearLog()
    expect(em.requests).to.have.length(0)
  })

  it('denies an operation with AccessDeniedException until restored', async () => {
    const {ecs} = clients(em)
    const restore = em.denyAccess('ListClusters')
    const e = await failure(ecs.send(new ListClustersCommand({})))
    expect(e.name).to.equal('AccessDeniedException')
    expect(e.message).to.contain('ecs:ListClusters')
    restore()
    await ecs.send(new ListClustersCommand({}))
  })

  it('injects server errors and latency', async () => {
    const {ecs} = clients(em)
    em.setFaults({serverErrorRate: 1})
    const e = await failure(ecs.send(new ListClustersCommand({})))
    expect(e.name).to.equal('ServerException')
    expect(e.$metadata?.httpStatusCode).to.equal(500)
    em.setFaults({latencyMs: 60})
    const t0 = performance.now()
    await ecs.send(new ListClustersCommand({}))
    expect(performance.now() - t0).to.be.greaterThanOrEqual(55)
  })

  it('serves a mounted service on the same endpoint', async () => {
    em.mount('TrentService.', {operations: {GenerateDataKey: (p) => ({KeyId: p.KeyId, Plaintext: 'AAAA'})}, service: 'kms'})
    const r = await rawCall(em, 'TrentService.GenerateDataKey', '{"KeyId":"k1"}')
    expect(r.json).to.deep.equal({KeyId: 'k1', Plaintext: 'AAAA'})
    expect(em.calls('GenerateDataKey')[0].service).to.equal('kms')
  })

  it('gives env() that points the SDK here', async () => {
    const env = em.env()
    expect(env.AWS_ENDPOINT_URL).to.equal(em.endpoint)
    expect(env.AWS_REGION).to.equal('eu-west-1')
    expect(env.AWS_ACCESS_KEY_ID).to.be.a('string')
  })

  it('stops cleanly, leaving nothing listening', async () => {
    const other = await startEmulator({faults: {latencyMs: 5}})
    const {endpoint} = other
    await other.stop()
    const e = await failure(fetch(endpoint, {method: 'POST'}))
    expect(e).to.be.instanceOf(Error)
  })
})
