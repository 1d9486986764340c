/**
 * A container image reference split the way registries read it, so the preview can say
 * which part moved (a tag, a digest, a whole registry) instead of showing two long strings.
 */
export interface ImageRef {
  /** The reference as written in the task definition. */
  raw: string
  /** Host, with its port when there is one (`localhost:5000`); `docker.io` when implied. */
  registry: string
  /** Path inside the registry; Docker Hub short names get their implied `library/`. */
  repository: string
  /** undefined when the reference pins a digest only. */
  tag?: string
  /** `sha256:…` when pinned. */
  digest?: string
  /** True when neither tag nor digest was written and `latest` is implied. */
  implicitTag: boolean
  /** False when the text is not a valid reference: only `raw` is meaningful then. */
  valid: boolean
}

const DOCKER_HUB = 'docker.io'
// The grammar of distribution/reference, simplified to what decides the split.
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const TAG = /^\w[\w.-]{0,127}$/
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::\d+)?$/

/**
 * Splits `[registry[:port]/]repository[:tag][@digest]` like Docker does: the first path
 * component is a registry only when it contains a dot or a colon, or is `localhost`
 * (so `localhost:5000/a/b:tag` has registry `localhost:5000`, and `team/app:1` is on Docker
 * Hub). A tag is what follows the last colon after the last slash.
 */
export function parseImage(raw: string): ImageRef {
  const invalid: ImageRef = {implicitTag: false, raw, registry: '', repository: raw, valid: false}
  const text = raw.trim()
  if (!text) return invalid

  let rest = text
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at !== -1) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
    if (!DIGEST.test(digest)) return invalid
  }

  let tag: string | undefined
  const colon = rest.lastIndexOf(':')
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
    if (!TAG.test(tag)) return invalid
  }

  let registry = DOCKER_HUB
  let repository = rest
  const slash = rest.indexOf('/')
  if (slash !== -1) {
    const first = rest.slice(0, slash)
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      if (!DOMAIN.test(first)) return invalid
      registry = first
      repository = rest.slice(slash + 1)
    }
  }

  if (!repository || !repository.split('/').every((c) => COMPONENT.test(c))) return invalid
  // Docker Hub's official images live under library/: `nginx` is `docker.io/library/nginx`.
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB

  const implicitTag = tag === undefined && digest === undefined
  return {digest, implicitTag, raw, registry, repository, tag: implicitTag ? 'latest' : tag, valid: true}
}

/** Short form for tables: `repo:tag@sha256:abcdef123456` with the registry left out. */
export function shortDigest(digest: string | undefined, length = 12): string | undefined {
  if (!digest) return undefined
  const [algorithm, hex] = digest.split(':')
  return hex && hex.length > length ? `${algorithm}:${hex.slice(0, length)}…` : digest
}
