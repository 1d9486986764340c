import {ExecuteCommandCommand, ListTasksCommand} from '@aws-sdk/client-ecs'
import {expect} from 'chai'
import WebSocket from 'ws'

import {clients} from './contract-helpers.js'
import {startEmulator} from './index.js'

describe('emulator with the Session Manager agent attached', () => {
  it('hands ExecuteCommand sessions to the agent, whose data channel accepts the stream URL', async () => {
    const em = await startEmulator({
      agent: true,
      scenario: {clusters: [{name: 'c', services: [{name: 's', taskDefinition: 'f:1'}]}], families: [{family: 'f', revisions: 1}]},
    })
    try {
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
      const r = await fetch(em.endpoint, {
        body: JSON.stringify({SessionId: res.session?.sessionId}),
        headers: {'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.TerminateSession'},
        method: 'POST',
      })
      expect(await r.json()).to.deep.equal({SessionId: res.session?.sessionId})
      expect(em.calls('TerminateSession')[0].service).to.equal('ssm')
    } finally {
      await em.stop()
    }
  })
})
