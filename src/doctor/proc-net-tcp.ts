// Parses /proc/net/tcp and /proc/net/tcp6, the kernel's own table of TCP sockets in the
// calling process's network namespace (what netstat and ss read).
import { endianness } from "node:os";

export type TcpFamily = 4 | 6;

export interface TcpSocketEntry {
  family: TcpFamily;
  /** Local address in the usual text form: 127.0.0.1, ::, ::ffff:127.0.0.1, 2001:db8::2. */
  address: string;
  port: number;
  /** Kernel state code; "0A" is LISTEN. */
  state: string;
  uid: number;
  /** Socket inode, which ties the socket to the process holding it (/proc/PID/fd). */
  inode: number;
}

export const TCP_LISTEN = "0A";

export function parseProcNetTcp(
  text: string,
  family: TcpFamily,
  littleEndian = endianness() === "LE",
): TcpSocketEntry[] {
  const entries: TcpSocketEntry[] = [];
  for (const line of text.split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10) continue;
    const [hexAddress, hexPort] = fields[1]!.split(":");
    if (!hexAddress || !hexPort) continue;
    entries.push({
      family,
      address: family === 4 ? ipv4From(hexAddress, littleEndian) : ipv6From(hexAddress, littleEndian),
      port: parseInt(hexPort, 16),
      state: fields[3]!,
      uid: Number(fields[7]),
      inode: Number(fields[9]),
    });
  }
  return entries;
}

/** The kernel prints each 32-bit word of the address in host byte order. */
function wordBytes(hexWord: string, littleEndian: boolean): number[] {
  const bytes = [0, 2, 4, 6].map((offset) => parseInt(hexWord.slice(offset, offset + 2), 16));
  return littleEndian ? bytes.reverse() : bytes;
}

function ipv4From(hex: string, littleEndian: boolean): string {
  return wordBytes(hex, littleEndian).join(".");
}

function ipv6From(hex: string, littleEndian: boolean): string {
  const bytes = [0, 8, 16, 24].flatMap((offset) => wordBytes(hex.slice(offset, offset + 8), littleEndian));
  const mapped = bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return `::ffff:${bytes.slice(12).join(".")}`;
  const groups: string[] = [];
  for (let index = 0; index < 16; index += 2) groups.push(((bytes[index]! << 8) | bytes[index + 1]!).toString(16));
  // The URL parser writes IPv6 the canonical way (RFC 5952): longest zero run as "::".
  return new URL(`http://[${groups.join(":")}]/`).hostname.slice(1, -1);
}
