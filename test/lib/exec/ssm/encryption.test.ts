import {createDecipheriv, randomBytes} from 'node:crypto'

import {expect} from 'chai'

import {encryptionContext, PayloadCipher} from '../../../../src/lib/exec/ssm/encryption.js'

describe('ssm payload encryption', () => {
  const key = randomBytes(64)

  it('client sends with the second half of the data key, as nonce(12) || ciphertext || tag(16)', () => {
    const sealed = PayloadCipher.forClient(key).encrypt(Buffer.from('ls -la\r'))
    expect(sealed.length).to.equal(12 + 7 + 16)
    const decipher = createDecipheriv('aes-256-gcm', key.subarray(32), sealed.subarray(0, 12))
    decipher.setAuthTag(sealed.subarray(sealed.length - 16))
    const plain = Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()])
    expect(plain.toString()).to.equal('ls -la\r')
  })

  it('agent and client each read what the other sends, and not their own', () => {
    const client = PayloadCipher.forClient(key)
    const agent = PayloadCipher.forAgent(key)
    expect(agent.decrypt(client.encrypt(Buffer.from('in'))).toString()).to.equal('in')
    expect(client.decrypt(agent.encrypt(Buffer.from('out'))).toString()).to.equal('out')
    expect(() => client.decrypt(client.encrypt(Buffer.from('x')))).to.throw(/authentication/)
  })

  it('uses a fresh nonce for every payload', () => {
    const client = PayloadCipher.forClient(key)
    const a = client.encrypt(Buffer.from('same'))
    const b = client.encrypt(Buffer.from('same'))
    expect(a.subarray(0, 12).equals(b.subarray(0, 12))).to.equal(false)
  })

  it('refuses tampered data and keys of the wrong size', () => {
    const agent = PayloadCipher.forAgent(key)
    const sealed = PayloadCipher.forClient(key).encrypt(Buffer.from('secret'))
    sealed[14] ^= 1
    expect(() => agent.decrypt(sealed)).to.throw(/authentication/)
    expect(() => agent.decrypt(Buffer.alloc(10))).to.throw(/too short/)
    expect(() => PayloadCipher.forClient(randomBytes(20))).to.throw(/32, 48 or 64/)
  })

  it('names the encryption context keys as the agent expects', () => {
    expect(encryptionContext('s-1', 'ecs:c_t_r')).to.deep.equal({'aws:ssm:SessionId': 's-1', 'aws:ssm:TargetId': 'ecs:c_t_r'})
  })
})
