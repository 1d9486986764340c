import {ExecuteCommandCommand, ListTasksCommand} from '@aws-sdk/client-ecs'
import {expect} from 'chai'
import WebSocket from 'ws'

import {clients, rawCall, withEmulator} from './contract-helpers.js'

describe('emulator with the Session Manager agent attached', () => {
  it('hands ExecuteCommand sessions to the agent, whose data channel accepts the stream URL', async () => {
    const scenario = {clusters: [{name: 'c', services: [{name: 's', taskDefinition: 'f:1'}]}], families: [{family: 'f', revisions: 1}]}
    await withEmulator({agent: true, scenario}, async (em) => {
      const {ecs} = clients(em)
      const [task] = (await ecs.send(new ListTasksCommand({cluster: 'c'}))).taskArns ?? []
      const res = await ecs.send(new ExecuteCommandCommand({cluster: 'c', command: 'true', interactive: true, task}))
      const url = res.session?.streamUrl ?? ''
      expect(url).to.match(new RegExp(`^ws://127\\.0\\.0\\.1:${em.port}/ssm/data-channel/${res.session?.sessionId}`))
      const ws = new WebSocket(url)
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve())
        ws.once('error', reject)
      })
      ws.terminate()
      // SSM TerminateSession is answered by the agent through the mounted handler.
      const r = await rawCall(em, 'AmazonSSM.TerminateSession', JSON.stringify({SessionId: res.session?.sessionId}))
      expect(r.json).to.deep.equal({SessionId: res.session?.sessionId})
      expect(em.calls('TerminateSession')[0].service).to.equal('ssm')
    })
  })
})
