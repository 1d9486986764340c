import {expect} from 'chai'
import {mkdir, mkdtemp, readdir, readFile, utimes, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {cachedNames, cacheFile} from '../../../src/lib/completion/cache.js'

describe('completion cache', () => {
  it('keys files by profile, region and endpoint', () => {
    expect(cacheFile('/c', {profile: 'acme.prod', region: 'eu-west-1'}, 'cluster')).to.equal('/c/completions/acme.prod@eu-west-1/cluster.json')
    expect(cacheFile('/c', {region: 'eu-west-1'}, 'service', 'prod')).to.equal('/c/completions/default@eu-west-1/service-prod.json')
    expect(cacheFile('/c', {endpoint: 'http://127.0.0.1:4566', region: 'eu-west-1'}, 'cluster')).to.equal(
      '/c/completions/default@eu-west-1@http_127.0.0.1_4566/cluster.json',
    )
  })

  it('without a profile, environment keys of different accounts get different files (a short hash, not the key)', () => {
    const a = cacheFile('/c', {accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', region: 'eu-west-1'}, 'cluster')
    const b = cacheFile('/c', {accessKeyId: 'AKIABBBBBBBBBBBBBBBB', region: 'eu-west-1'}, 'cluster')
    expect(a).to.match(/^\/c\/completions\/env-[\da-f]{12}@eu-west-1\/cluster\.json$/)
    expect(b).to.not.equal(a)
    expect(a).to.not.include('AKIA')
    expect(cacheFile('/c', {accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', region: 'eu-west-1'}, 'cluster')).to.equal(a)
    // A named profile is who asks, whatever keys are in the environment.
    expect(cacheFile('/c', {accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', profile: 'acme', region: 'eu-west-1'}, 'cluster')).to.equal('/c/completions/acme@eu-west-1/cluster.json')
  })

  it('fetches once, answers from the file while fresh, and again after it expires', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'cc-')), 'x', 'cluster.json')
    let fetches = 0
    const fetch = async () => {
      fetches++
      return ['b', 'a', 'b']
    }

    expect(await cachedNames(file, fetch)).to.deep.equal({fromCache: false, names: ['a', 'b']})
    expect(JSON.parse(await readFile(file, 'utf8'))).to.deep.equal(['a', 'b'])
    expect(await cachedNames(file, fetch)).to.deep.equal({fromCache: true, names: ['a', 'b']})
    expect(fetches).to.equal(1)
    const old = new Date(Date.now() - 11 * 60 * 1000)
    await utimes(file, old, old)
    await cachedNames(file, fetch)
    expect(fetches).to.equal(2)
  })

  it('an expired file answers when AWS cannot; with no file the failure is thrown', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'cc-')), 'cluster.json')
    await cachedNames(file, async () => ['prod'])
    const failing = async (): Promise<string[]> => {
      throw new Error('offline')
    }

    expect(await cachedNames(file, failing, {now: Date.now() + 3_600_000})).to.deep.equal({fromCache: true, names: ['prod'], stale: true})
    const error = await cachedNames(join(file, '..', 'none.json'), failing).catch((e) => e)
    expect(error.message).to.equal('offline')
  })

  it('names fetched but not savable (the cache folder is a file) are still the answer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cc-'))
    await writeFile(join(dir, 'completions'), 'a file where the folder should be')
    let fetches = 0
    const fetch = async () => {
      fetches++
      return ['prod', 'ops']
    }

    const file = join(dir, 'completions', 'default@eu-west-1', 'cluster.json')
    expect(await cachedNames(file, fetch)).to.deep.equal({fromCache: false, names: ['ops', 'prod'], unsaved: true})
    // Nothing was cached, so the next call fetches again.
    await cachedNames(file, fetch)
    expect(fetches).to.equal(2)
  })

  it('a failed write leaves no temporary file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cc-'))
    // The target is a folder: the temporary file is written, the rename over it fails.
    const file = join(dir, 'cluster.json')
    await mkdir(file)
    expect(await cachedNames(file, async () => ['prod'])).to.deep.equal({fromCache: false, names: ['prod'], unsaved: true})
    expect(await readdir(dir)).to.deep.equal(['cluster.json'])
  })
})
