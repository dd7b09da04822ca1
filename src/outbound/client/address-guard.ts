import { lookup as dnsLookup } from "node:dns/promises";
import { isIP, type LookupFunction } from "node:net";
import { judgeAddress } from "./address-policy.js";

/** One address a host name resolves to. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to all its addresses (by default the system resolver, as every other Node client). */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** The system resolver: dns.lookup with every address, in the resolver's order. */
export const systemResolver: Resolver = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

/** Thrown (through the socket) when the guard refuses a connection; the client classifies it as `refused`. */
export class AddressRefusedError extends Error {
  readonly code: "privateAddress" | "plainHttp";
  readonly host: string;
  readonly address: string;

  constructor(code: "privateAddress" | "plainHttp", host: string, address: string, reason: string) {
    super(host === address ? `${address} is ${reason}` : `${host} resolves to ${address}, ${reason}`);
    this.name = "AddressRefusedError";
    this.code = code;
    this.host = host;
    this.address = address;
  }
}

/** The rule one app's connections follow. */
export interface AddressRule {
  /** Allow loopback, private and other internal addresses (default false). */
  readonly allowPrivateAddresses: boolean;
  /** Whether the connection is TLS; plain http is allowed only to internal addresses, so a token never crosses the internet in clear. */
  readonly https: boolean;
}

/** Checks one address against the rule; returns the refusal, or undefined when it may be used. */
export function admitAddress(host: string, address: string, rule: AddressRule): AddressRefusedError | undefined {
  const internal = judgeAddress(address);
  if (internal !== undefined && !rule.allowPrivateAddresses) return new AddressRefusedError("privateAddress", host, address, internal);
  if (internal === undefined && !rule.https) return new AddressRefusedError("plainHttp", host, address, "a public address, and plain http would send the Secret Token unencrypted");
  return undefined;
}

/**
 * Resolves a host and checks every address it resolves to, refusing the host when any is not allowed
 * (an attacker who controls DNS could mix a private address in). IP literals are checked as they are.
 */
export async function resolveAllowed(host: string, rule: AddressRule, resolve: Resolver): Promise<readonly ResolvedAddress[]> {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  const literal = isIP(bare);
  const addresses: readonly ResolvedAddress[] = literal !== 0 ? [{ address: bare, family: literal === 6 ? 6 : 4 }] : await resolve(bare);
  if (addresses.length === 0) throw Object.assign(new Error(`${bare} resolves to no address`), { code: "ENOTFOUND" });
  for (const { address } of addresses) {
    const refusal = admitAddress(bare, address, rule);
    if (refusal) throw refusal;
  }
  return addresses;
}

/**
 * A `lookup` for net/tls.connect that resolves, checks and hands the socket exactly the addresses it
 * checked, so a second DNS answer (rebinding) can never switch the connection to another address.
 * `onResolved` sees the addresses used, for Test Connection's report.
 */
export function guardedLookup(rule: AddressRule, resolve: Resolver, onResolved?: (host: string, addresses: readonly ResolvedAddress[]) => void): LookupFunction {
  return (hostname, options, callback) => {
    resolveAllowed(hostname, rule, resolve).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((entry) => entry.family === options.family) : addresses;
        if (wanted.length === 0) {
          callback(Object.assign(new Error(`${hostname} has no IPv${String(options.family)} address`), { code: "ENOTFOUND" }), "", 0);
          return;
        }
        onResolved?.(hostname, wanted);
        if (options.all) (callback as unknown as (error: null, all: ResolvedAddress[]) => void)(null, [...wanted]);
        else callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 0),
    );
  };
}
