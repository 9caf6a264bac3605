import assert from "node:assert/strict";
import { test } from "node:test";
import { TCP_LISTEN, parseProcNetTcp } from "./proc-net-tcp.js";

// Lines as a little-endian kernel prints them (x86-64, arm64).
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 41235 1 0000000000000000 100 0 0 10 0
   1: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 41236 1 0000000000000000 100 0 0 10 0
   2: 0280A8C6:1F90 0180A8C6:D431 01 00000000:00000000 00:00000000 00000000     0        0 0 1 0000000000000000 20 4 30 10 -1
`;

const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5001 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000001000000:1F91 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5002 1 0000000000000000 100 0 0 10 0
   2: 0000000000000000FFFF00000100007F:1F92 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5003 1 0000000000000000 100 0 0 10 0
   3: B80D0120000000000000000002000000:1F93 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5004 1 0000000000000000 100 0 0 10 0
`;

test("IPv4 sockets: address, port, state, uid and inode", () => {
  assert.deepEqual(parseProcNetTcp(TCP, 4, true), [
    { family: 4, address: "127.0.0.1", port: 8080, state: TCP_LISTEN, uid: 0, inode: 41235 },
    { family: 4, address: "0.0.0.0", port: 80, state: TCP_LISTEN, uid: 1000, inode: 41236 },
    { family: 4, address: "198.168.128.2", port: 8080, state: "01", uid: 0, inode: 0 },
  ]);
});

test("IPv6 sockets: ::, ::1, IPv4-mapped loopback, a global address", () => {
  assert.deepEqual(
    parseProcNetTcp(TCP6, 6, true).map((socket) => `${socket.address} ${socket.port}`),
    [":: 8080", "::1 8081", "::ffff:127.0.0.1 8082", "2001:db8::2 8083"],
  );
});

test("a big-endian kernel prints the words the other way round", () => {
  const bigEndian = TCP.replace("0100007F:1F90", "7F000001:1F90");
  assert.equal(parseProcNetTcp(bigEndian, 4, false)[0]!.address, "127.0.0.1");
});

test("the header and short lines are skipped", () => {
  assert.deepEqual(parseProcNetTcp("  sl  local_address\n\n  garbage\n", 4), []);
});
