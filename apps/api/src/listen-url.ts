/** The URL a server listening on `host:port` answers at; an IPv6 address goes in brackets (`http://[::]:3000`). */
export function listenUrl(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}
