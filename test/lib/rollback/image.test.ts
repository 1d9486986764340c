import {expect} from 'chai'

import {parseImage, shortDigest} from '../../../src/lib/rollback/image.js'

const DIGEST = 'sha256:' + 'a1b2c3d4'.repeat(8)

describe('parseImage', () => {
  it('splits a registry with a port, a nested repository, a tag and a digest', () => {
    const ref = parseImage(`localhost:5000/a/b:tag@${DIGEST}`)
    expect(ref).to.include({digest: DIGEST, registry: 'localhost:5000', repository: 'a/b', tag: 'tag', valid: true})
  })

  it('treats a port-only host as a registry, not a tag', () => {
    expect(parseImage('registry:5000/app')).to.include({registry: 'registry:5000', repository: 'app', tag: 'latest', implicitTag: true})
  })

  it('puts Docker Hub short names under docker.io/library with latest implied', () => {
    expect(parseImage('nginx')).to.include({implicitTag: true, registry: 'docker.io', repository: 'library/nginx', tag: 'latest'})
    expect(parseImage('nginx:1.25-alpine')).to.include({implicitTag: false, repository: 'library/nginx', tag: '1.25-alpine'})
  })

  it('keeps user repositories on Docker Hub without library/', () => {
    expect(parseImage('grafana/grafana:10.4.1')).to.include({registry: 'docker.io', repository: 'grafana/grafana', tag: '10.4.1'})
    expect(parseImage('docker.io/grafana/grafana:10')).to.include({registry: 'docker.io', repository: 'grafana/grafana'})
    expect(parseImage('index.docker.io/library/redis:7')).to.include({registry: 'docker.io', repository: 'library/redis'})
  })

  it('reads ECR references', () => {
    const ref = parseImage('123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:v1.4.0')
    expect(ref).to.include({registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', repository: 'team/api', tag: 'v1.4.0'})
    expect(ref.digest).to.equal(undefined)
  })

  it('reads a digest-only reference without inventing a tag', () => {
    const ref = parseImage(`public.ecr.aws/nginx/nginx@${DIGEST}`)
    expect(ref).to.include({digest: DIGEST, implicitTag: false, registry: 'public.ecr.aws', repository: 'nginx/nginx'})
    expect(ref.tag).to.equal(undefined)
  })

  it('treats localhost without a port as a registry', () => {
    expect(parseImage('localhost/app:dev')).to.include({registry: 'localhost', repository: 'app', tag: 'dev'})
  })

  it('marks invalid references and keeps the raw text', () => {
    for (const bad of ['', 'team/UPPER:1', 'a:b:c', `app@sha256:short`, 'app:has space', 'reg.io/Repo:1']) {
      const ref = parseImage(bad)
      expect(ref.valid, bad).to.equal(false)
      expect(ref.raw).to.equal(bad)
    }
  })

  it('shortens digests for tables only when they are long', () => {
    expect(shortDigest(DIGEST)).to.equal('sha256:a1b2c3d4a1b2…')
    expect(shortDigest('sha256:abc')).to.equal('sha256:abc')
    expect(shortDigest(undefined)).to.equal(undefined)
  })
})
