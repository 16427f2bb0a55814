// Which addresses HTTP templates may reach. Workflows come from users and the worker makes their
// requests from inside the installation, where link-local addresses answer with the host's cloud
// credentials (169.254.169.254, fd00:ec2::254, metadata.google.internal): those are refused by default.
// An operator adds ranges to refuse (REGATTA_HTTP_DENY) or exempts ranges from every refusal
// (REGATTA_HTTP_ALLOW), as comma-separated CIDR lists read once at start. Loopback stays allowed.
import { BlockList, isIP } from 'node:net';

/** Link-local ranges (AWS, GCP, Azure and Oracle metadata live there), AWS's IPv6 metadata address
 * and Alibaba Cloud's, which is not link-local. */
const DEFAULT_HTTP_DENY = ['169.254.0.0/16', 'fe80::/10', 'fd00:ec2::254/128', '100.100.100.200/32'];
/** Metadata servers reached by name; refused before any lookup, whatever they resolve to. (GCE's short
 * name `metadata` resolves to 169.254.169.254, refused by address; as a name it may be a user's service.) */
const DENIED_HOSTS = new Set(['metadata.google.internal']);

export class EgressPolicy {
  private readonly deny = new BlockList();
  private readonly allow = new BlockList();

  /** Lists of CIDRs (`10.0.0.0/8`, `fd00::/8`, or a lone address), added to the default deny list
   * or exempted from it; a bad entry throws, naming the variable it comes from. */
  constructor(lists: { deny?: string[]; allow?: string[] } = {}) {
    for (const cidr of [...DEFAULT_HTTP_DENY, ...(lists.deny ?? [])]) addRange(this.deny, cidr, 'REGATTA_HTTP_DENY');
    for (const cidr of lists.allow ?? []) addRange(this.allow, cidr, 'REGATTA_HTTP_ALLOW');
  }

  /** Why a request may not go to `host` (a name), or undefined. */
  refuseHost(host: string): string | undefined {
    const name = host.toLowerCase().replace(/\.$/, '');
    if (DENIED_HOSTS.has(name)) return `${host} is a cloud metadata server`;
    return undefined;
  }

  /** Why a request may not connect to `address` (an IP), or undefined. */
  refuseAddress(address: string): string | undefined {
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (this.allow.check(address, family) || !this.deny.check(address, family)) return undefined;
    return `${address} is in a range this worker does not reach (link-local and cloud metadata by default; see REGATTA_HTTP_DENY and REGATTA_HTTP_ALLOW)`;
  }
}

function addRange(list: BlockList, cidr: string, source: string): void {
  const [address = '', bits, extra] = cidr.trim().split('/');
  const family = isIP(address);
  const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
  if (family === 0 || extra !== undefined || !/^\d*$/.test(bits ?? '') || !Number.isInteger(prefix) || prefix > (family === 6 ? 128 : 32)) {
    throw new Error(`${source}: "${cidr}" is not an IP address or CIDR range`);
  }
  list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
}

/** The policy an operator set: REGATTA_HTTP_DENY and REGATTA_HTTP_ALLOW, comma-separated CIDRs. */
export function egressPolicyFromEnv(env: NodeJS.ProcessEnv): EgressPolicy {
  const list = (name: string): string[] => (env[name] ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  return new EgressPolicy({ deny: list('REGATTA_HTTP_DENY'), allow: list('REGATTA_HTTP_ALLOW') });
}
