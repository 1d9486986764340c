import {expect} from 'chai'
import {mkdtemp, readFile, utimes} from 'node:fs/promises'
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
})
