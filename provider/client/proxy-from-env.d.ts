// proxy-from-env 2.1.0 ships no types; this is the one function axios and we use.
declare module "proxy-from-env" {
  /** The proxy URL the *_PROXY / NO_PROXY environment selects for `url`, or "" for none. */
  export function getProxyForUrl(url: string): string;
}
