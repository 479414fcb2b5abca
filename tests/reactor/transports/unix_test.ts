// Copyright 2026 the Torsion authors. MIT license.
// Unix stream sockets: listenUNIX, connectUNIX and the transport over them.
import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import type { Failure } from "../../../defer/mod.ts";
import {
  CannotListenError,
  ClientFactory,
  ConnectError,
  ConnectionDone,
  Factory,
  type IConnector,
  Protocol,
  UNIXAddress,
} from "../../../reactor/mod.ts";
import { signal, withReactor } from "../../_reactor.ts";

const decoder = new TextDecoder();

class Echo extends Protocol {
  override dataReceived(data: Uint8Array): void {
    this.transport.write(data);
  }
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "torsion-unix-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function echoFactory(): Factory {
  const f = Factory.forProtocol(Echo);
  f.noisy = false;
  return f;
}

Deno.test("listenUNIX() and connectUNIX() echo bytes", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/echo.sock`;
    await withReactor(async (reactor) => {
      const port = reactor.listenUNIX(path, echoFactory());
      ok(port.getHost() instanceof UNIXAddress);
      equal((port.getHost() as UNIXAddress).name, path);
      const [lost, onLost] = signal<Failure>();
      let got = "";
      let peer: unknown;
      class Client extends Protocol {
        override connectionMade(): void {
          peer = this.transport.getPeer();
          this.transport.write("over unix");
        }
        override dataReceived(data: Uint8Array): void {
          got += decoder.decode(data);
          if (got.length === 9) this.transport.loseConnection();
        }
        override connectionLost(reason: Failure): void {
          onLost(reason);
        }
      }
      const cf = new ClientFactory();
      cf.protocol = Client;
      cf.noisy = false;
      reactor.connectUNIX(path, cf);
      ok((await lost).check(ConnectionDone));
      equal(got, "over unix");
      ok(peer instanceof UNIXAddress);
      equal(port.getHost().type, "UNIX");
      await port.stopListening();
    });
  });
});

Deno.test("listenUNIX() sets the socket file's mode and removes the file when it stops", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/mode.sock`;
    await withReactor(async (reactor) => {
      const port = reactor.listenUNIX(path, echoFactory(), { mode: 0o600 });
      equal((await Deno.stat(path)).mode! & 0o777, 0o600);
      // Bound in a private directory and linked into place: nothing else
      // is left beside it.
      deepEqual(
        (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name),
        ["mode.sock"],
      );
      await port.stopListening();
      let exists = true;
      try {
        await Deno.stat(path);
      } catch {
        exists = false;
      }
      equal(exists, false);
    });
  });
});

Deno.test("listenUNIX() on a path in use throws CannotListenError", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/busy.sock`;
    await withReactor((reactor) => {
      reactor.listenUNIX(path, echoFactory());
      throws(() => reactor.listenUNIX(path, echoFactory()), CannotListenError);
      try {
        reactor.listenUNIX(path, echoFactory());
      } catch (err) {
        match(
          (err as Error).message,
          new RegExp(`^Couldn't listen on any:${path}: `),
        );
      }
    });
  });
});

Deno.test("listenUNIX() with wantPID keeps a lock file and replaces a stale socket", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/locked.sock`;
    await Deno.writeTextFile(path, "stale"); // left behind by a dead server
    await withReactor(async (reactor) => {
      const port = reactor.listenUNIX(path, echoFactory(), { wantPID: true });
      equal(await Deno.readTextFile(`${path}.lock`), String(Deno.pid));
      throws(
        () => reactor.listenUNIX(path, echoFactory(), { wantPID: true }),
        CannotListenError,
      );
      await port.stopListening();
      let locked = true;
      try {
        await Deno.stat(`${path}.lock`);
      } catch {
        locked = false;
      }
      equal(locked, false);
    });
  });
});

Deno.test("connectUNIX() to a missing path reports a ConnectError", async () => {
  await withTempDir(async (dir) => {
    await withReactor(async (reactor) => {
      const [failed, onFailed] = signal<Failure>();
      class CF extends ClientFactory {
        override noisy = false;
        override clientConnectionFailed(_c: IConnector, reason: Failure): void {
          onFailed(reason);
        }
      }
      reactor.connectUNIX(`${dir}/nothing.sock`, new CF());
      ok((await failed).check(ConnectError));
    });
  });
});
