import {isIP} from 'node:net'

/**
 * Real Session Manager stream URLs are wss:// (ssmmessages.<region>.amazonaws.com). A plain
 * ws:// URL would send the session token and every keystroke in clear, so it is accepted only
 * when it points at this machine (the local emulator). Returns the reason to refuse, if any.
 */
export function streamUrlProblem(streamUrl: string): string | undefined {
  let url: URL
  try {
    url = new URL(streamUrl)
  } catch {
    return `the stream URL is not a URL: ${streamUrl}`
  }

  if (url.protocol === 'wss:') return undefined
  if (url.protocol !== 'ws:') return `the stream URL must be wss:// (got ${url.protocol}//)`
  if (isLoopbackHost(url.hostname)) return undefined
  return `a plain ws:// stream URL is accepted only for a loopback endpoint, not ${url.hostname}`
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (isIP(host) === 4) return host.startsWith('127.')
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(host)
  return false
}
